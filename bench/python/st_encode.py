"""sentence-transformers (PyTorch, CPU) peer for bench/encode-compare.ts.

Encodes the texts of a JSON list with SentenceTransformer.encode and prints one JSON line with the
timing; optionally writes the embeddings (float32, row-major) so the TypeScript side can check that
both engines computed the same vectors.

Usage: st_encode.py --model DIR --texts texts.json --max-length 256 --batch-size 32 --threads 2
                    [--runs 1] [--embeddings out.f32]
Modes: every text is encoded with ST's own length sorting (`real` in the TS bench); for the fixed
32×128 case the caller passes texts of ≥ 128 tokens and --max-length 128.
"""
import argparse
import json
import resource
import sys
import time


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--texts", required=True)
    p.add_argument("--max-length", type=int, required=True)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--quantize", choices=["none", "int8"], default="none")
    p.add_argument("--embeddings")
    a = p.parse_args()

    import torch
    torch.set_num_threads(a.threads)
    from sentence_transformers import SentenceTransformer

    t0 = time.perf_counter()
    model = SentenceTransformer(a.model, device="cpu")
    model.max_seq_length = a.max_length
    if a.quantize == "int8":
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    load_s = time.perf_counter() - t0

    with open(a.texts, encoding="utf-8") as f:
        texts = json.load(f)
    tok = model.tokenizer(texts, truncation=True, max_length=a.max_length)
    tokens = sum(len(ids) for ids in tok["input_ids"])

    with torch.inference_mode():
        model.encode(texts[: a.batch_size], batch_size=a.batch_size)  # warm-up
        times = []
        for _ in range(a.runs):
            t = time.perf_counter()
            emb = model.encode(texts, batch_size=a.batch_size, convert_to_numpy=True)
            times.append(time.perf_counter() - t)
    times.sort()
    if a.embeddings:
        emb.astype("float32").tofile(a.embeddings)
    print(json.dumps({
        "engine": "sentence-transformers",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "quantize": a.quantize,
        "load_seconds": load_s,
        "sequences": len(texts),
        "tokens": tokens,
        "seconds": times[len(times) // 2],
        "dims": int(emb.shape[1]),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    sys.exit(main())
