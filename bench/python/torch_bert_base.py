"""PyTorch CPU peer for bench/encode-bert-base: a randomly initialised BERT-base (12 layers, 768
hidden, 12 heads, 3072 FFN), the same batch shapes and token ids, the same thread count.

Usage: torch_bert_base.py THREADS   → one JSON line: {"seq_per_s_32x128", "p50_ms_1x16", ...}
"""
import json
import statistics
import sys
import time

import torch
from transformers import BertConfig, BertModel


def batch(b: int, n: int):
    ids = torch.tensor([[1000 + ((i * n + j) * 7919) % 29000 for j in range(n)] for i in range(b)], dtype=torch.long)
    return {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids)}


def timed(model, inputs, runs):
    with torch.inference_mode():
        model(**inputs)
        out = []
        for _ in range(runs):
            t0 = time.perf_counter()
            model(**inputs)
            out.append((time.perf_counter() - t0) * 1000)
    return sorted(out)


def main() -> None:
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = BertModel(BertConfig()).eval()
    big = timed(model, batch(32, 128), 5)
    small = timed(model, batch(1, 16), 50)
    print(json.dumps({
        "engine": f"PyTorch {torch.__version__} fp32",
        "threads": threads,
        "seq_per_s_32x128": 32 / (statistics.median(big) / 1000),
        "p50_ms_1x16": statistics.median(small),
        "p99_ms_1x16": small[min(len(small) - 1, int(0.99 * len(small)))],
    }))


if __name__ == "__main__":
    main()
