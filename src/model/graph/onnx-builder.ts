// Builds an ONNX ModelProto in memory. onnx-proto only gives the protobuf message classes; this is the
// thin layer that names values, declares inputs/outputs and packs initialisers as raw little-endian data.
import { endianness } from 'node:os';
import pkg from 'onnx-proto';

const { onnx } = pkg;

export type ElementType = 'float32' | 'int32' | 'int8' | 'uint8';
type TypedData = Float32Array | Int32Array | Int8Array | Uint8Array;

const DATA_TYPES: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
};

function elementTypeOf(data: TypedData): ElementType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

/** An attribute value with its ONNX type made explicit (a JS number cannot tell INT from FLOAT). */
export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string };

export const intAttr = (value: number): Attribute => ({ kind: 'int', value });
export const floatAttr = (value: number): Attribute => ({ kind: 'float', value });
export const stringAttr = (value: string): Attribute => ({ kind: 'string', value });

/** The contrib-op domain of onnxruntime's fused CPU kernels. */
export const MS_DOMAIN = 'com.microsoft';

/** A dimension: a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): pkg.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPES[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attributeProto(name: string, a: Attribute): pkg.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}

export class GraphBuilder {
  private readonly nodes: pkg.onnx.INodeProto[] = [];
  private readonly initializers: pkg.onnx.ITensorProto[] = [];
  private readonly inputs: pkg.onnx.IValueInfoProto[] = [];
  private readonly outputs: pkg.onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly name: string) {
    // raw_data is little-endian by the ONNX spec; typed arrays use the host's byte order.
    if (endianness() !== 'LE') throw new Error('building ONNX graphs needs a little-endian host');
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`internal error: ONNX value "${name}" defined twice`);
    this.used.add(name);
    return name;
  }

  /** A value name not used yet, derived from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    return name;
  }

  input(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, dims));
    return name;
  }

  output(name: string, type: ElementType, dims: readonly Dim[]): void {
    if (!this.used.has(name)) throw new Error(`internal error: graph output "${name}" is never produced`);
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Adds a weight; the bytes are referenced, not copied, until the model is encoded. */
  initializer(hint: string, data: TypedData, dims: readonly number[]): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      throw new Error(`internal error: initializer "${hint}" has ${data.length} values for shape [${dims.join(', ')}]`);
    }
    const name = this.claim(this.fresh(hint));
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: DATA_TYPES[elementTypeOf(data)],
      rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
    return name;
  }

  /**
   * Adds a node and returns the names of its outputs (one per entry of `outputs`, made unique).
   * An empty string in `inputs` marks an omitted optional input.
   */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Readonly<Record<string, Attribute>> = {},
    domain = '',
  ): string[] {
    for (const i of inputs) {
      if (i !== '' && !this.used.has(i)) throw new Error(`internal error: ${opType} reads undefined value "${i}"`);
    }
    const outNames = outputs.map((o) => (o === '' ? '' : this.claim(this.fresh(o))));
    this.nodes.push({
      opType,
      domain,
      name: this.fresh(`${opType}_${this.nodes.length}`),
      input: [...inputs],
      output: outNames,
      attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)),
    });
    return outNames;
  }

  /** Encodes the model: ONNX IR 8, opset 17 and com.microsoft v1. */
  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'densekit',
      opsetImport: [
        { domain: '', version: 17 },
        { domain: MS_DOMAIN, version: 1 },
      ],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
