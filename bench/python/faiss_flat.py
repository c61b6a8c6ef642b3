"""FAISS side of bench/search.ts: exact IndexFlatIP and IndexHNSWFlat on the same .npy files.

Prints one JSON object on stdout. Run by bench/search.ts; needs `pip install faiss-cpu numpy`.
"""
import argparse
import json
import resource
import time

import faiss
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--corpus", required=True)
p.add_argument("--queries", required=True)
p.add_argument("--k", default="10,1000")
p.add_argument("--threads", type=int, default=0)
p.add_argument("--ids-out", help="write the exact top-k ids (largest k) here as .npy")
p.add_argument("--hnsw-rows", type=int, default=0)
p.add_argument("--hnsw-corpus", help="rows for the HNSW test (default: --corpus); its first --hnsw-rows rows are used")
p.add_argument("--hnsw-queries", help="queries for the HNSW test (default: --queries)")
p.add_argument("--hnsw-truth", help="exact top-10 ids per HNSW query (.npy int64); default: FAISS IndexFlatIP")
p.add_argument("--M", type=int, default=16)
p.add_argument("--ef-construction", type=int, default=128)
p.add_argument("--ef-search", type=int, default=64)
a = p.parse_args()


def read_npy_rows(path):
    """The rows of a float32 .npy as a function (start, count) -> array, read with np.fromfile, not a
    memory map: mapped file pages count in this process's RSS, which would then report the corpus
    twice (3 GB at 1M x 768) beside the index's own copy."""
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(f)
        offset = f.tell()
    if fortran or len(shape) != 2:
        raise SystemExit(f"{path}: expected a C-order 2-d array")
    n, d = shape

    def rows(start, count):
        count = max(0, min(count, n - start))
        return np.fromfile(path, dtype=dtype, count=count * d, offset=offset + start * d * dtype.itemsize).reshape(count, d)

    return n, d, rows


if a.threads:
    faiss.omp_set_num_threads(a.threads)
n_rows, dim, corpus_rows = read_npy_rows(a.corpus)
xq = np.ascontiguousarray(np.load(a.queries))
out = {"faiss_version": faiss.__version__, "threads": faiss.omp_get_max_threads(), "rows": int(n_rows), "dim": int(dim)}

t = time.perf_counter()
flat = faiss.IndexFlatIP(dim)
for s in range(0, n_rows, 65536):
    flat.add(corpus_rows(s, 65536))
out["flat_build_s"] = time.perf_counter() - t
ks = [int(k) for k in a.k.split(",")]
for k in ks:
    flat.search(xq[:8], k)  # warm-up
    t = time.perf_counter()
    _, ids = flat.search(xq, k)
    dt = time.perf_counter() - t
    out[f"flat_k{k}_s"] = dt
    out[f"flat_k{k}_qps"] = xq.shape[0] / dt
    if a.ids_out and k == max(ks):
        np.save(a.ids_out, ids.astype(np.int64))
del flat

if a.hnsw_rows:
    hq = np.ascontiguousarray(np.load(a.hnsw_queries)) if a.hnsw_queries else xq
    sub = read_npy_rows(a.hnsw_corpus)[2](0, a.hnsw_rows) if a.hnsw_corpus else corpus_rows(0, a.hnsw_rows)
    t = time.perf_counter()
    h = faiss.IndexHNSWFlat(sub.shape[1], a.M, faiss.METRIC_INNER_PRODUCT)
    h.hnsw.efConstruction = a.ef_construction
    h.add(sub)
    out["hnsw_build_s"] = time.perf_counter() - t
    h.hnsw.efSearch = a.ef_search
    if a.hnsw_truth:
        gt = np.load(a.hnsw_truth)
    else:
        truth = faiss.IndexFlatIP(sub.shape[1])
        truth.add(sub)
        _, gt = truth.search(hq, 10)
    h.search(hq[:8], 10)  # warm-up
    t = time.perf_counter()
    _, got = h.search(hq, 10)
    dt = time.perf_counter() - t
    out["hnsw_rows"] = int(sub.shape[0])
    out["hnsw_qps"] = hq.shape[0] / dt
    out["hnsw_recall10"] = float(np.mean([len(set(g) & set(r)) / 10 for g, r in zip(gt, got)]))
out["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
print(json.dumps(out))
