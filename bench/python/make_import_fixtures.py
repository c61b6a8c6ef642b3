"""Writes the small FAISS / .npy fixtures under test/fixtures/import/ (run once; tests never need Python).

    python -m venv /tmp/faissenv && /tmp/faissenv/bin/pip install faiss-cpu numpy
    /tmp/faissenv/bin/python bench/python/make_import_fixtures.py test/fixtures/import
"""
import json
import sys
from pathlib import Path

import faiss
import numpy as np

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(20240601)
n, d = 7, 6
x = rng.standard_normal((n, d)).astype(np.float32)
docids = [f"doc{i}" for i in range(n)]

ip = faiss.IndexFlatIP(d)
ip.add(x)
faiss.write_index(ip, str(out / "flat-ip.index"))
l2 = faiss.IndexFlatL2(d)
l2.add(x)
faiss.write_index(l2, str(out / "flat-l2.index"))
(out / "docid").write_text("".join(f"{i}\n" for i in docids))
hnsw = faiss.IndexHNSWFlat(d, 4, faiss.METRIC_INNER_PRODUCT)
hnsw.add(x)
faiss.write_index(hnsw, str(out / "hnsw.index"))  # not a flat index: must be refused

with open(out / "vectors-v1.npy", "wb") as f:
    np.lib.format.write_array(f, x, version=(1, 0))
with open(out / "vectors-v2.npy", "wb") as f:
    np.lib.format.write_array(f, x, version=(2, 0))
with open(out / "vectors-v3.npy", "wb") as f:
    np.lib.format.write_array(f, x, version=(3, 0))
with open(out / "vectors-f16.npy", "wb") as f:
    np.lib.format.write_array(f, x.astype(np.float16), version=(1, 0))
with open(out / "vectors-fortran.npy", "wb") as f:
    np.lib.format.write_array(f, np.asfortranarray(x), version=(1, 0))
with open(out / "vectors-bigendian.npy", "wb") as f:
    np.lib.format.write_array(f, x.astype(">f4"), version=(1, 0))
with open(out / "vectors-int.npy", "wb") as f:
    np.lib.format.write_array(f, np.arange(6, dtype=np.int64).reshape(2, 3), version=(1, 0))

(out / "expected.json").write_text(json.dumps({
    "dim": d,
    "docids": docids,
    # float32 values widened to float64 exactly
    "vectors": [[float(v) for v in row] for row in x],
    "vectors_f16": [[float(v) for v in row] for row in x.astype(np.float16).astype(np.float32)],
    "faiss_top3_ip_of_row0": [[int(i) for i in ip.search(x[:1], 3)[1][0]]],
}, indent=1) + "\n")
print("wrote", sorted(p.name for p in out.iterdir()))
