"""FAISS side of bench/hnsw.ts: IndexHNSWFlat and IndexHNSWSQ (QT_fp16, QT_8bit), inner product.

For each peer: build (M, efConstruction as given; SQ trained on the whole corpus), then for each
efSearch search every query at k = 10, repeated for at least --min-seconds; recall@10 against
--truth. Memory: the index written to disk (file size) and the growth of this process's RssAnon
while adding it (run one peer per process: freed memory stays with the allocator). Prints one JSON line per (peer, efSearch). Run with OPENBLAS_CORETYPE=SkylakeX.
"""
import argparse
import json
import os
import time

import faiss
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--corpus", required=True)
p.add_argument("--queries", required=True)
p.add_argument("--truth", required=True)
p.add_argument("--M", type=int, default=16)
p.add_argument("--ef-construction", type=int, default=128)
p.add_argument("--ef", default="16,32,64,128")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--min-seconds", type=float, default=2.0)
p.add_argument("--tmp", required=True)
p.add_argument("--peer", default="f32,fp16,8bit", help="which peers (run one per process for a clean RssAnon)")
a = p.parse_args()
faiss.omp_set_num_threads(a.threads)


def rss_anon_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return 0.0


xb = np.ascontiguousarray(np.load(a.corpus).astype(np.float32))
xq = np.ascontiguousarray(np.load(a.queries).astype(np.float32))
gt = np.load(a.truth)
d = xb.shape[1]
IP = faiss.METRIC_INNER_PRODUCT
peers = [
    ("FAISS IndexHNSWFlat", "f32", lambda: faiss.IndexHNSWFlat(d, a.M, IP)),
    ("FAISS IndexHNSWSQ", "fp16", lambda: faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_fp16, a.M, IP)),
    ("FAISS IndexHNSWSQ", "8bit", lambda: faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_8bit, a.M, IP)),
]
for name, stored, make in [x for x in peers if x[1] in a.peer.split(",")]:
    before = rss_anon_mib()
    index = make()
    index.hnsw.efConstruction = a.ef_construction
    t = time.perf_counter()
    if not index.is_trained:
        index.train(xb)
    index.add(xb)
    build_s = time.perf_counter() - t
    anon = rss_anon_mib() - before
    path = os.path.join(a.tmp, "faiss.index")
    faiss.write_index(index, path)
    file_mib = os.path.getsize(path) / 2**20
    os.remove(path)
    for ef in [int(x) for x in a.ef.split(",") if x]:
        index.hnsw.efSearch = ef
        index.search(xq[:64], 10)
        done, t = 0, time.perf_counter()
        while time.perf_counter() - t < a.min_seconds or done == 0:
            _, ids = index.search(xq, 10)
            done += xq.shape[0]
        qps = done / (time.perf_counter() - t)
        recall = float(np.mean([len(set(g) & set(r)) / 10 for g, r in zip(gt, ids)]))
        print(json.dumps({"engine": name, "stored": stored, "build_s": build_s, "ef": ef, "rescore": 0, "qps": qps,
                          "recall10": recall, "file_mib": file_mib, "anon_mib": anon, "load": os.getloadavg()[0]}), flush=True)
    del index
