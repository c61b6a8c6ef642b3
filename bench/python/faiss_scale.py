"""FAISS side of bench/scale.ts: one peer over the vectors stored in densekit's blocked shards.

Reads every block of the shards (format in src/index/shard-format.ts, version 2), decodes it to
float32 exactly as densekit does (f16 as is; int8 as float32(scale * code)), adds it to the peer,
then searches the queries. Peers: flat (IndexFlatIP, exact), sq8 (IndexScalarQuantizer QT_8bit) and
sqfp16 (QT_fp16), inner product. SQ trains on the first 262,144 rows. Prints one JSON object, with the
peer's top-k overlap with densekit's exact ids. Run with OPENBLAS_CORETYPE=SkylakeX (bench/scale.ts does).
"""
import argparse
import glob
import json
import os
import struct
import time

import faiss
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--shards", required=True)
p.add_argument("--queries", required=True)
p.add_argument("--nq", type=int, default=0)
p.add_argument("--k", default="10,1000")
p.add_argument("--peer", required=True, choices=["flat", "sq8", "sqfp16"])
p.add_argument("--exact-ids")
a = p.parse_args()


def blocks(path):
    """Yields float32 [rows, dim] arrays, one per block of a version 2 shard."""
    with open(path, "rb") as f:
        head = f.read(64)
        assert head[:4] == b"DKVS" and struct.unpack_from("<I", head, 4)[0] == 2, path
        dtype, dim, _, block_rows = struct.unpack_from("<IIII", head, 8)
        size = os.fstat(f.fileno()).st_size
        f.seek(size - 16)
        count = struct.unpack("<Q", f.read(8))[0]
        row_bytes = {1: 4 * dim, 2: 2 * dim, 3: dim}[dtype]
        up4 = lambda n: (n + 3) // 4 * 4
        block_bytes = lambda r: up4(r * row_bytes) + (4 * r if dtype == 3 else 0)
        for start in range(0, count, block_rows):
            rows = min(block_rows, count - start)
            f.seek(64 + (start // block_rows) * block_bytes(block_rows))
            raw = f.read(block_bytes(rows))
            if dtype == 1:
                yield np.frombuffer(raw, np.float32, rows * dim).reshape(rows, dim)
            elif dtype == 2:
                yield np.frombuffer(raw, np.float16, rows * dim).reshape(rows, dim).astype(np.float32)
            else:
                codes = np.frombuffer(raw, np.int8, rows * dim).reshape(rows, dim).astype(np.float32)
                scales = np.frombuffer(raw, np.float32, rows, up4(rows * dim))
                yield (codes * scales[:, None]).astype(np.float32)


files = sorted(glob.glob(os.path.join(a.shards, "*.vec")))
xq = np.ascontiguousarray(np.load(a.queries))
if a.nq:
    xq = xq[: a.nq]
dim = xq.shape[1]
out = {"faiss_version": faiss.__version__, "threads": faiss.omp_get_max_threads(), "queries": int(xq.shape[0])}
if a.peer == "flat":
    index = faiss.IndexFlatIP(dim)
    out["name"] = "IndexFlatIP"
else:
    qt = faiss.ScalarQuantizer.QT_8bit if a.peer == "sq8" else faiss.ScalarQuantizer.QT_fp16
    index = faiss.IndexScalarQuantizer(dim, qt, faiss.METRIC_INNER_PRODUCT)
    out["name"] = "IndexScalarQuantizer " + ("QT_8bit" if a.peer == "sq8" else "QT_fp16")
t = time.perf_counter()
if not index.is_trained:
    sample, n = [], 0
    for f in files:
        for b in blocks(f):
            sample.append(b)
            n += len(b)
            if n >= 262144:
                break
        if n >= 262144:
            break
    index.train(np.concatenate(sample)[:262144])
# index.add grows the code vector by doubling, which at 21M rows x 768 (15 GiB of QT_8bit codes) needs
# up to twice that while it copies: size it once, then encode each block into its slice (same codes).
total = 0
for f in files:
    with open(f, "rb") as fh:
        fh.seek(-16, os.SEEK_END)
        total += struct.unpack("<Q", fh.read(8))[0]
index.codes.resize(total * index.code_size)
codes = faiss.rev_swig_ptr(index.codes.data(), total * index.code_size)
at = 0
for f in files:
    for b in blocks(f):
        c = index.sa_encode(b).ravel()
        codes[at : at + c.size] = c
        at += c.size
assert at == total * index.code_size
index.ntotal = total
out["add_s"] = time.perf_counter() - t
out["rows"] = int(index.ntotal)
ks = [int(k) for k in a.k.split(",")]
exact = np.load(a.exact_ids) if a.exact_ids else None
for k in ks:
    index.search(xq[:2], k)  # warm-up
    t = time.perf_counter()
    _, ids = index.search(xq, k)
    dt = time.perf_counter() - t
    out[f"k{k}_qps"] = xq.shape[0] / dt
    if exact is not None and k == exact.shape[1]:
        out["overlap"] = float(np.mean([len(set(e) & set(g)) / k for e, g in zip(exact[: len(ids)], ids)]))
print(json.dumps(out))
