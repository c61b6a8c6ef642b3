// One Milvus collection of densekit passages: docid (VarChar primary key), the vector, title and text.
// Creates it or checks an existing one against what the index needs (dims, metric, fields), upserts
// rows, builds and loads the vector index, searches, counts and fetches passages by docid.
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import type { StoredDoc } from '../../../results/hits.js';
import { buildParamsOf, searchParamsOf, MILVUS_MAX_TOPK, type MilvusIndexSpec, type MilvusMetric, type MilvusSearchParams } from './index-spec.js';
import { checkStatus } from './status.js';

export const FIELD = { docid: 'docid', vector: 'vector', title: 'title', text: 'text' } as const;

/**
 * VarChar limits in UTF-8 bytes. 65,535 is the most Milvus 2.3 allows for a VarChar; docids are
 * kept short because they are the primary key and appear in every search reply. A longer value is
 * refused before upload (naming the docid and field), never cut.
 */
export const LIMITS = { docid: 512, title: 65_535, text: 65_535 } as const;

const DESCRIPTION_PREFIX = 'densekit passages; metric ';

export interface CollectionShape {
  readonly dims: number;
  readonly metric: MilvusMetric;
}

export interface PassageRow {
  readonly id: string;
  readonly title?: string | undefined;
  readonly text: string;
  readonly vector: ArrayLike<number>;
}

/** Why a record cannot go into the collection unchanged, or undefined. */
export function rowProblem(row: { id: string; title?: string | undefined; text: string }): string | undefined {
  const over = (field: 'docid' | 'title' | 'text', value: string): string | undefined => {
    const bytes = Buffer.byteLength(value, 'utf8');
    return bytes > LIMITS[field] ? `its ${field} is ${bytes} UTF-8 bytes; the Milvus collection holds at most ${LIMITS[field]}` : undefined;
  };
  if (row.id === '') return 'its docid is empty';
  return over('docid', row.id) ?? over('title', row.title ?? '') ?? over('text', row.text);
}

export class MilvusCollection {
  constructor(
    readonly client: MilvusClient,
    readonly name: string,
    /** For error messages: where the collection lives. */
    readonly where: string,
  ) {}

  private label(): string {
    return `milvus ${this.where} collection ${JSON.stringify(this.name)}`;
  }

  async exists(): Promise<boolean> {
    const r = await this.client.hasCollection({ collection_name: this.name });
    checkStatus(r.status, `${this.label()}: hasCollection`);
    return Boolean(r.value);
  }

  /** Creates the collection, or checks that the existing one has this shape. */
  async ensure(shape: CollectionShape): Promise<'created' | 'existing'> {
    if (await this.exists()) {
      await this.checkShape(shape);
      return 'existing';
    }
    const r = await this.client.createCollection({
      collection_name: this.name,
      description: `${DESCRIPTION_PREFIX}${shape.metric}`,
      fields: [
        { name: FIELD.docid, data_type: 'VarChar', is_primary_key: true, max_length: LIMITS.docid },
        { name: FIELD.vector, data_type: 'FloatVector', dim: shape.dims },
        { name: FIELD.title, data_type: 'VarChar', max_length: LIMITS.title },
        { name: FIELD.text, data_type: 'VarChar', max_length: LIMITS.text },
      ],
    });
    checkStatus(r, `${this.label()}: createCollection`);
    return 'created';
  }

  /** Refuses a missing collection, or one of another dimension, metric or field layout. */
  async checkShape(shape: CollectionShape): Promise<void> {
    const d = await this.client.describeCollection({ collection_name: this.name });
    if (d.status.error_code !== 'Success' && /not found|can't find/i.test(d.status.reason)) {
      throw new Error(`${this.label()} does not exist (build it with densekit index/import --index milvus, or check --collection and --milvus-uri)`);
    }
    checkStatus(d.status, `${this.label()}: describeCollection`);
    const fields = new Map(d.schema.fields.map((f) => [f.name, f]));
    const vector = fields.get(FIELD.vector);
    const pk = fields.get(FIELD.docid);
    if (!vector || vector.data_type !== 'FloatVector' || !pk || !pk.is_primary_key || pk.data_type !== 'VarChar' || !fields.has(FIELD.title) || !fields.has(FIELD.text)) {
      throw new Error(`${this.label()} is not a densekit collection (expected fields docid VarChar primary key, vector FloatVector, title, text; found ${[...fields.keys()].join(', ')})`);
    }
    const dims = Number(vector.dim ?? vector.type_params?.find((p) => p.key === 'dim')?.value);
    if (dims !== shape.dims) throw new Error(`${this.label()} holds ${dims}-dimensional vectors; this index has ${shape.dims}`);
    const recorded = d.schema.description.startsWith(DESCRIPTION_PREFIX) ? d.schema.description.slice(DESCRIPTION_PREFIX.length) : undefined;
    const indexed = await this.indexMetric();
    for (const [what, metric] of [['was created for', recorded], ['is indexed with', indexed]] as const) {
      if (metric !== undefined && metric !== shape.metric) throw new Error(`${this.label()} ${what} metric ${metric}; this index's similarity needs ${shape.metric}`);
    }
  }

  /** The metric of the vector index, or undefined when none is built yet. */
  async indexMetric(): Promise<string | undefined> {
    const r = await this.client.describeIndex({ collection_name: this.name, field_name: FIELD.vector });
    if (r.status.error_code === 'IndexNotExist' || /index not (found|exist)/i.test(r.status.reason)) return undefined;
    checkStatus(r.status, `${this.label()}: describeIndex`);
    const metric = r.index_descriptions[0]?.params.find((p) => p.key === 'metric_type')?.value;
    return metric === undefined ? undefined : String(metric);
  }

  /** Insert-or-replace by docid, so writing the same passages twice leaves one row each. */
  async upsert(rows: readonly PassageRow[]): Promise<void> {
    const r = await this.client.upsert({
      collection_name: this.name,
      data: rows.map((row) => ({ [FIELD.docid]: row.id, [FIELD.vector]: Array.from(row.vector), [FIELD.title]: row.title ?? '', [FIELD.text]: row.text })),
    });
    checkStatus(r.status, `${this.label()}: upsert of ${rows.length} rows`);
  }

  /** Seals what was written, builds the vector index (replacing another kind) and loads it for search. */
  async buildIndex(spec: MilvusIndexSpec, metric: MilvusMetric, replicas = 1): Promise<void> {
    checkStatus((await this.client.flushSync({ collection_names: [this.name] })).status, `${this.label()}: flush`);
    const existing = await this.client.describeIndex({ collection_name: this.name, field_name: FIELD.vector });
    const current = existing.index_descriptions?.[0];
    if (current) {
      const params = Object.fromEntries(current.params.map((p) => [p.key, p.value]));
      const same = params.index_type === spec.type && params.metric_type === metric && params.params === JSON.stringify(buildParamsOf(spec));
      if (same) {
        await this.waitForIndex();
        return this.load(replicas);
      }
      checkStatus(await this.client.releaseCollection({ collection_name: this.name }), `${this.label()}: release`);
      checkStatus(await this.client.dropIndex({ collection_name: this.name, field_name: FIELD.vector }), `${this.label()}: dropIndex`);
    }
    const r = await this.client.createIndex({ collection_name: this.name, field_name: FIELD.vector, index_type: spec.type, metric_type: metric, params: buildParamsOf(spec) });
    checkStatus(r, `${this.label()}: createIndex ${spec.type}`);
    await this.waitForIndex();
    await this.load(replicas);
  }

  /**
   * Waits until every sealed row is indexed. Loaded before that, Milvus searches the unindexed segments
   * through its interim IVF index (nprobe 16), so HNSW's ef would change nothing and recall would sit lower.
   */
  async waitForIndex(timeoutMs = 60 * 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.client.describeIndex({ collection_name: this.name, field_name: FIELD.vector });
      checkStatus(r.status, `${this.label()}: describeIndex`);
      const d = r.index_descriptions[0];
      if (d?.state === 'Failed') throw new Error(`${this.label()}: building the vector index failed: ${d.index_state_fail_reason}`);
      if (d?.state === 'Finished' && Number(d.pending_index_rows) === 0 && Number(d.indexed_rows) >= Number(d.total_rows)) return;
      if (Date.now() > deadline) throw new Error(`${this.label()}: the vector index is not built after ${timeoutMs / 1000} s (${d?.indexed_rows}/${d?.total_rows} rows)`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async load(replicas = 1): Promise<void> {
    const r = await this.client.loadCollectionSync({ collection_name: this.name, replica_number: replicas });
    checkStatus(r, `${this.label()}: load`);
  }

  /** Loads the collection unless it is loaded already (as an operator may have, with other replicas). */
  async ensureLoaded(replicas = 1): Promise<void> {
    const r = await this.client.getLoadState({ collection_name: this.name });
    checkStatus(r.status, `${this.label()}: getLoadState`);
    if (String(r.state) !== 'LoadStateLoaded') await this.load(replicas);
  }

  /** Rows as of now (strong consistency: every acknowledged upsert is counted). Needs a loaded collection. */
  async count(): Promise<number> {
    const r = await this.client.query({ collection_name: this.name, filter: '', output_fields: ['count(*)'], consistency_level: 'Strong' as never });
    checkStatus(r.status, `${this.label()}: count`);
    return Number(r.data[0]?.['count(*)']);
  }

  /** Top-k docids and scores per query vector, as Milvus ranks them. */
  async search(vectors: readonly ArrayLike<number>[], k: number, spec: MilvusIndexSpec, metric: MilvusMetric, params: MilvusSearchParams): Promise<{ docid: string; score: number }[][]> {
    if (vectors.length === 0 || k === 0) return vectors.map(() => []);
    if (k > MILVUS_MAX_TOPK) throw new Error(`${this.label()}: k ${k} is above Milvus's top-k limit ${MILVUS_MAX_TOPK}`);
    const r = await this.client.search({
      collection_name: this.name,
      anns_field: FIELD.vector,
      data: vectors.map((v) => Array.from(v)),
      limit: k,
      metric_type: metric,
      params: searchParamsOf(spec, params, k),
      output_fields: [FIELD.docid],
    });
    checkStatus(r.status, `${this.label()}: search`);
    // The SDK flattens the reply of a one-vector request into a single list.
    const lists = (vectors.length === 1 && !Array.isArray(r.results[0]) ? [r.results] : r.results) as unknown as Record<string, unknown>[][];
    return lists.map((hits) => hits.map((h) => ({ docid: String(h[FIELD.docid]), score: Number(h.score) })));
  }

  /** Stored passages by docid (undefined for a docid the collection lacks), in the order asked. */
  async documents(docids: readonly string[]): Promise<(StoredDoc | undefined)[]> {
    if (docids.length === 0) return [];
    const r = await this.client.query({
      collection_name: this.name,
      filter: `${FIELD.docid} in ${JSON.stringify([...new Set(docids)])}`,
      output_fields: [FIELD.docid, FIELD.title, FIELD.text],
    });
    checkStatus(r.status, `${this.label()}: query by docid`);
    const byId = new Map(r.data.map((row) => [String(row[FIELD.docid]), row]));
    return docids.map((id) => {
      const row = byId.get(id);
      if (!row) return undefined;
      const title = String(row[FIELD.title] ?? '');
      return { id, ...(title !== '' ? { title } : {}), text: String(row[FIELD.text] ?? '') };
    });
  }

  async drop(): Promise<void> {
    checkStatus(await this.client.dropCollection({ collection_name: this.name }), `${this.label()}: drop`);
  }
}
