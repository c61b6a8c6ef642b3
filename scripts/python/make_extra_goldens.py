"""Builds test/fixtures/extra-goldens/: tiny random checkpoints in formats and layouts that
test/fixtures/goldens/models does not cover, each with expected.json holding the reference outputs.

Each fixture is made like the goldens (hidden 32, 2 layers, 4 heads, the first 5,000 bert-base-uncased
vocab entries, 512 positions, weights widened from the usual 0.02 init so that mistakes show), saved
the way hub repos store them, then RELOADED from disk by the reference libraries (transformers /
sentence-transformers, fp32 compute) to compute the expected outputs. Token ids are cross-checked
against transformers 3.4.0's slow BertTokenizer (the goldens' tokenizer reference) when
/tmp/tokref is available.

expected.json: {"reference", "description", "weights_dtype", "tolerance", "runs": [...]}; a run is
{"name", "command": "embed"|"tokenize", "flags": [...CLI flags after --model/--input/--output...],
 "inputs": [JSONL records], "input_ids": [[...]], "token_type_ids": [[...]] (as fed to the model),
 "embeddings": [[...]] (embed runs only)}.

Run: /tmp/stvenv/bin/python scripts/python/make_extra_goldens.py   (from the repo root; ~1 min, 1 core)
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import torch

torch.set_num_threads(1)

import transformers  # noqa: E402
from transformers import (  # noqa: E402
    AutoModel,
    BertConfig,
    BertModel,
    BertTokenizer,
    DistilBertConfig,
    DistilBertModel,
    DistilBertTokenizer,
    DPRConfig,
    DPRContextEncoder,
)

ROOT = Path(__file__).resolve().parents[2]
VOCAB_SRC = ROOT / "test/fixtures/goldens/tokenizer/bert-base-uncased/vocab.txt"
OUT = ROOT / "test/fixtures/extra-goldens"
TOKREF_PYTHON = Path("/tmp/tokref/bin/python")
VOCAB_SIZE = 5000

QUERIES = [
    "who wrote the declaration of independence",
    "what is the capital of france",
    "how do vaccines train the immune system?",
    "define photosynthesis",
    "when did the berlin wall fall and why did it matter so much to the people living in east germany at the time",
]
PASSAGES = [
    ("Declaration of Independence", "The Declaration of Independence was drafted by Thomas Jefferson in 1776."),
    ("Paris", "Paris is the capital and most populous city of France, on the river Seine."),
    ("Vaccine", "A vaccine trains the immune system to recognise a pathogen; it can't cause the disease itself."),
    ("", "An untitled passage: the title is an empty string."),
    (
        "Berlin Wall",
        "The Berlin Wall fell on 9 November 1989, after weeks of civil unrest; border crossings opened and "
        "crowds of East and West Berliners climbed onto the wall. " * 6,
    ),
]
CASED_TEXTS = [
    "The Café Müller in Paris",
    "the café müller in paris",
    "ÉCOLE Normale Supérieure, São Paulo",
    "Zoë read a naïve résumé about Ångström units",
    "François said: Über alles? No!",
    "Thomas Jefferson wrote the Declaration of Independence",
]
# Cased tokens written over [unused1..] so that casing and accent handling change the ids.
CASED_EXTRA_TOKENS = [
    "The", "Paris", "P", "##aris", "Café", "C", "##af", "##é", "é", "Müller", "M", "##ü", "ü", "##ller",
    "É", "ÉCOLE", "E", "##COLE", "Normale", "N", "Supérieure", "S", "##ão", "São", "Paulo", "Zoë", "Z",
    "##oë", "naïve", "##ï", "ï", "résumé", "Ångström", "Å", "François", "F", "##ç", "ç", "Über", "Ü",
    "Thomas", "T", "Jefferson", "J", "Declaration", "D", "Independence", "I", "No", "ö", "##ö",
]


def base_vocab() -> list[str]:
    lines = VOCAB_SRC.read_text(encoding="utf-8").split("\n")[:VOCAB_SIZE]
    assert len(lines) == VOCAB_SIZE
    return lines


def cased_vocab() -> list[str]:
    vocab = base_vocab()
    present = set(vocab)
    extra = [t for t in CASED_EXTRA_TOKENS if t not in present]
    unused = [i for i, t in enumerate(vocab) if t.startswith("[unused")]
    assert len(unused) >= len(extra)
    for i, tok in zip(unused, extra):
        vocab[i] = tok
    assert len(set(vocab)) == len(vocab)
    return vocab


def write_vocab(d: Path, vocab: list[str], newline: str = "\n") -> None:
    (d / "vocab.txt").write_bytes((newline.join(vocab) + newline).encode("utf-8"))


def write_tokenizer_files(d: Path, vocab: list[str], lower: bool = True, newline: str = "\n") -> None:
    write_vocab(d, vocab, newline)
    (d / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": lower, "model_max_length": 512}))
    (d / "special_tokens_map.json").write_text(
        json.dumps({"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"})
    )


def widen(module: torch.nn.Module, seed: int) -> None:
    """Re-initialises every parameter far from the usual 0.02 init, so that mistakes show in the outputs."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            noise = torch.randn(p.shape, generator=g)
            if "LayerNorm" in name or "layer_norm" in name:
                p.copy_(1 + 0.2 * noise if name.endswith("weight") else 0.2 * noise)
            elif name.endswith("bias"):
                p.copy_(0.2 * noise)
            else:
                p.copy_(0.2 * noise)


def bert_config(**extra) -> dict:
    return dict(
        vocab_size=VOCAB_SIZE, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
        max_position_embeddings=512, type_vocab_size=2, pad_token_id=0, **extra,
    )


def distilbert_config() -> DistilBertConfig:
    return DistilBertConfig(vocab_size=VOCAB_SIZE, dim=32, n_layers=2, n_heads=4, hidden_dim=64, max_position_embeddings=512, pad_token_id=0)


def rows(t: torch.Tensor) -> list[list[float]]:
    return [[round(float(v), 7) for v in r] for r in t.detach().float()]


def unpadded(enc) -> tuple[list[list[int]], list[list[int]]]:
    ids, types, mask = enc["input_ids"].tolist(), enc.get("token_type_ids"), enc["attention_mask"].tolist()
    types = types.tolist() if types is not None else [[0] * len(r) for r in ids]
    keep = lambda rs: [[v for v, m in zip(r, mk) if m == 1] for r, mk in zip(rs, mask)]  # noqa: E731
    return keep(ids), keep(types)


def slow_reference_ids(vocab_path: Path, lower: bool, texts: list, max_length: int, **options) -> list[list[int]] | None:
    """Token ids by transformers 3.4.0's slow BertTokenizer (the goldens' reference), if its venv exists."""
    if not TOKREF_PYTHON.exists():
        return None
    code = (
        "import json,sys\nfrom transformers import BertTokenizer\n"
        "a=json.load(sys.stdin)\nt=BertTokenizer(a['vocab'],do_lower_case=a['lower'],**a['options'])\n"
        "out=[]\nfor x in a['texts']:\n"
        "  e=t(x[0],x[1],max_length=a['max'],truncation='longest_first') if isinstance(x,list) else t(x,max_length=a['max'],truncation='longest_first')\n"
        "  out.append(e['input_ids'])\nprint(json.dumps(out))\n"
    )
    env = {**os.environ, "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python"}
    payload = json.dumps({"vocab": str(vocab_path), "lower": lower, "texts": texts, "max": max_length, "options": options})
    r = subprocess.run([str(TOKREF_PYTHON), "-c", code], input=payload, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def check_ids(d: Path, lower: bool, texts: list, max_length: int, ids: list[list[int]], **options) -> None:
    vocab_path = d / "vocab.txt"
    if not vocab_path.exists():  # a repo with tokenizer.json only: check against the vocab it was built from
        vocab_path = OUT / "_tmp_vocab.txt"
        write_vocab(OUT, base_vocab())
        (OUT / "vocab.txt").rename(vocab_path)
    ref = slow_reference_ids(vocab_path, lower, texts, max_length, **options)
    vocab_path.unlink() if vocab_path.parent == OUT else None
    if ref is not None and ref != ids:
        raise SystemExit(f"{d.name}: transformers {transformers.__version__} and 3.4.0 disagree on token ids:\n{ref}\n{ids}")


def embed_run(name, flags, inputs, ids, types, emb) -> dict:
    return {"name": name, "command": "embed", "flags": flags, "inputs": inputs, "input_ids": ids, "token_type_ids": types, "embeddings": rows(emb)}


def tokenize_run(name, flags, inputs, ids, types) -> dict:
    return {"name": name, "command": "tokenize", "flags": flags, "inputs": inputs, "input_ids": ids, "token_type_ids": types}


def fresh(name: str) -> Path:
    d = OUT / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


def write_expected(d: Path, description: str, dtype: str, runs: list[dict]) -> None:
    expected = {
        "reference": f"transformers {transformers.__version__}, torch {torch.__version__.split('+')[0]}"
        + (", token ids cross-checked with transformers 3.4.0" if TOKREF_PYTHON.exists() else ""),
        "description": description,
        "weights_dtype": dtype,
        "tolerance": 1e-4 if dtype == "F32" else 1e-3,
        "runs": runs,
    }
    (d / "expected.json").write_text(json.dumps(expected, ensure_ascii=False) + "\n")


def query_records(texts):
    return [{"id": f"q{i}", "text": t} for i, t in enumerate(texts)]


def passage_records(pairs):
    return [{"id": f"p{i}", "title": ti, "text": tx} for i, (ti, tx) in enumerate(pairs)]


# ---------------------------------------------------------------------------------------------------
# 1. sentence-transformers over DistilBertModel: mean pooling + Dense(tanh) + Normalize, max_seq_length 40.


def make_st_distilbert_mean_dense() -> None:
    from sentence_transformers import SentenceTransformer, models

    d = fresh("st-distilbert-mean-dense")
    raw = OUT / "_tmp_distil"
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir()
    model = DistilBertModel(distilbert_config())
    widen(model, 11)
    # fp16 storage keeps the fixtures folder under 4 MB; the reference computes in fp32 from the stored weights.
    model.to(torch.float16).save_pretrained(raw)
    write_tokenizer_files(raw, base_vocab())

    word = models.Transformer(str(raw), max_seq_length=40, model_args={"dtype": torch.float16})
    pool = models.Pooling(32, pooling_mode="mean")
    dense = models.Dense(32, 16, activation_function=torch.nn.Tanh())
    widen(dense, 12)
    st = SentenceTransformer(modules=[word, pool, dense, models.Normalize()], device="cpu")
    st.save(str(d))
    shutil.rmtree(raw)
    (d / "README.md").unlink(missing_ok=True)

    st = SentenceTransformer(str(d), device="cpu", model_kwargs={"dtype": torch.float32})
    assert next(st.parameters()).dtype == torch.float32
    texts = QUERIES + [p[1] for p in PASSAGES]
    enc = st.tokenize(texts)
    ids, types = unpadded(enc)
    check_ids(d, True, texts, 40, ids)
    emb = st.encode(texts, convert_to_tensor=True, batch_size=len(texts))
    nq = len(QUERIES)
    runs = [
        embed_run("queries", [], query_records(QUERIES), ids[:nq], types[:nq], emb[:nq]),
        embed_run("passages (text only)", ["--kind", "passage"], query_records([p[1] for p in PASSAGES]), ids[nq:], types[nq:], emb[nq:]),
        tokenize_run("tokenize ≤ 40", ["--max-length", "40"], [{"text": t} for t in texts], ids, types),
    ]
    write_expected(d, "sentence-transformers repo over DistilBertModel: mean pooling, Dense 32→16 (tanh), Normalize; max_seq_length 40 (in tokenizer_config.json, sentence-transformers 6 layout, tokenizer.json only); fp16 model.safetensors", "F16", runs)


# ---------------------------------------------------------------------------------------------------
# 2a. Cased BertModel stored as BF16 safetensors, with tokenizer.json next to vocab.txt.


@torch.no_grad()
def bert_reference(d: Path, tok, texts, max_length: int, pairs: bool = False):
    model = AutoModel.from_pretrained(d, dtype=torch.float32).eval()
    if pairs:
        enc = tok([t for t, _ in texts], [x for _, x in texts], padding=True, truncation="longest_first", max_length=max_length, return_tensors="pt")
    else:
        enc = tok(texts, padding=True, truncation="longest_first", max_length=max_length, return_tensors="pt")
    out = model(**enc)
    return enc, out


def masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).float()
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


def make_bert_cased_bf16() -> None:
    d = fresh("bert-cased-bf16")
    model = BertModel(BertConfig(**bert_config()))
    widen(model, 21)
    model.to(torch.bfloat16).save_pretrained(d)
    vocab = cased_vocab()
    write_tokenizer_files(d, vocab, lower=False)
    BertTokenizer(str(d / "vocab.txt"), do_lower_case=False).backend_tokenizer.save(str(d / "tokenizer.json"))
    tok = BertTokenizer.from_pretrained(d)

    enc, out = bert_reference(d, tok, CASED_TEXTS, 32)
    ids, types = unpadded(enc)
    check_ids(d, False, CASED_TEXTS, 32, ids)
    pairs = [(t, x) for t, x in zip(CASED_TEXTS[::2], CASED_TEXTS[1::2])] + [PASSAGES[0], PASSAGES[4]]
    penc, pout = bert_reference(d, tok, pairs, 48, pairs=True)
    pids, ptypes = unpadded(penc)
    check_ids(d, False, [list(p) for p in pairs], 48, pids)
    pmean = torch.nn.functional.normalize(masked_mean(pout.last_hidden_state, penc["attention_mask"]), dim=-1)
    runs = [
        embed_run("queries CLS", ["--preset", "none", "--pooling", "cls", "--max-length", "32"], query_records(CASED_TEXTS), ids, types, out.last_hidden_state[:, 0]),
        embed_run("queries tanh pooler", ["--pooling", "pooler", "--max-length", "32"], query_records(CASED_TEXTS), ids, types, out.pooler_output),
        embed_run(
            "(title, text) pairs, mean + L2",
            ["--kind", "passage", "--pooling", "mean", "--normalize", "--max-length", "48"],
            passage_records(pairs), pids, ptypes, pmean,
        ),
        tokenize_run("tokenize cased ≤ 32", ["--max-length", "32"], [{"text": t} for t in CASED_TEXTS], ids, types),
        tokenize_run("tokenize cased pairs ≤ 48", ["--max-length", "48"], [{"text": t, "text_pair": x} for t, x in pairs], pids, ptypes),
    ]
    write_expected(d, "cased BertModel (do_lower_case false, cased tokens in the vocab) stored as BF16 model.safetensors, with tokenizer.json", "BF16", runs)


# ---------------------------------------------------------------------------------------------------
# 2b. BertModel saved as a sharded safetensors checkpoint (model.safetensors.index.json).


def make_bert_sharded() -> None:
    d = fresh("bert-sharded")
    model = BertModel(BertConfig(**bert_config()))
    widen(model, 31)
    # Half precision keeps the fixture small; sharded hub checkpoints are often fp16 anyway.
    model.to(torch.float16).save_pretrained(d, max_shard_size="150KB")
    assert (d / "model.safetensors.index.json").exists(), "expected a sharded checkpoint"
    write_tokenizer_files(d, base_vocab())
    tok = BertTokenizer.from_pretrained(d)
    enc, out = bert_reference(d, tok, QUERIES, 32)
    ids, types = unpadded(enc)
    check_ids(d, True, QUERIES, 32, ids)
    joined = [f"{t} {x}" for t, x in PASSAGES]
    jenc, jout = bert_reference(d, tok, joined, 64)
    jids, jtypes = unpadded(jenc)
    check_ids(d, True, joined, 64, jids)
    runs = [
        embed_run("queries CLS", ["--max-length", "32"], query_records(QUERIES), ids, types, out.last_hidden_state[:, 0]),
        embed_run(
            "title + ' ' + text, CLS",
            ["--kind", "passage", "--passage-format", "join", "--max-length", "64"],
            passage_records(PASSAGES), jids, jtypes, jout.last_hidden_state[:, 0],
        ),
    ]
    write_expected(d, "BertModel saved as sharded fp16 safetensors (model.safetensors.index.json); reference in fp32 from the stored weights", "F16", runs)


# ---------------------------------------------------------------------------------------------------
# 3. DPRContextEncoder with projection_dim 16, pytorch_model.bin (zip), (title, text) with zero token types.


@torch.no_grad()
def make_dpr_ctx_proj() -> None:
    d = fresh("dpr-ctx-proj")
    model = DPRContextEncoder(DPRConfig(**bert_config(projection_dim=16)))
    widen(model, 41)
    model.config.architectures = ["DPRContextEncoder"]  # what save_pretrained would record
    model.config.save_pretrained(d)
    torch.save(model.state_dict(), d / "pytorch_model.bin")
    write_tokenizer_files(d, base_vocab())
    tok = BertTokenizer.from_pretrained(d)
    ref = DPRContextEncoder.from_pretrained(d, dtype=torch.float32).eval()
    runs = []
    for name, flags, max_len in [
        ("auto DPR preset: (title, text), token types 0, ≤ 256", ["--kind", "passage"], 256),
        ("--preset dpr --max-length 64 (truncates)", ["--kind", "passage", "--preset", "dpr", "--max-length", "64"], 64),
    ]:
        enc = tok([t for t, _ in PASSAGES], [x for _, x in PASSAGES], padding=True, truncation="longest_first", max_length=max_len, return_tensors="pt")
        ids, _ = unpadded(enc)
        check_ids(d, True, [list(p) for p in PASSAGES], max_len, ids)
        zeros = torch.zeros_like(enc["token_type_ids"])
        out = ref(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], token_type_ids=zeros).pooler_output
        assert out.shape[1] == 16
        runs.append(embed_run(name, flags, passage_records(PASSAGES), ids, [[0] * len(r) for r in ids], out))
    enc = tok([t for t, _ in PASSAGES], [x for _, x in PASSAGES], truncation="longest_first", max_length=64)
    runs.append(
        tokenize_run(
            "tokenize (title, text) ≤ 64", ["--max-length", "64"],
            [{"text": t, "text_pair": x} for t, x in PASSAGES], enc["input_ids"], enc["token_type_ids"],
        )
    )
    write_expected(d, "DPRContextEncoder with projection_dim 16 (encode_proj), pytorch_model.bin (zip); passages as (title, text) with all-zero token types", "F32", runs)


# ---------------------------------------------------------------------------------------------------
# 4. DistilBertModel in the legacy (pre-1.6) torch format, CRLF vocab.txt (TAS-B style).


@torch.no_grad()
def make_distilbert_legacy_crlf() -> None:
    d = fresh("distilbert-legacy-crlf")
    model = DistilBertModel(distilbert_config())
    widen(model, 51)
    model.config.architectures = ["DistilBertModel"]
    model.config.save_pretrained(d)
    torch.save(model.state_dict(), d / "pytorch_model.bin", _use_new_zipfile_serialization=False)
    write_tokenizer_files(d, base_vocab(), newline="\r\n")
    tok = DistilBertTokenizer.from_pretrained(d)
    ref = DistilBertModel.from_pretrained(d, dtype=torch.float32).eval()
    runs = []
    texts_q, texts_p = QUERIES, [x for _, x in PASSAGES]
    for name, flags, texts, max_len, recs in [
        ("TAS-B queries ≤ 30", ["--preset", "tas-b"], texts_q, 30, query_records(texts_q)),
        ("TAS-B passages ≤ 200, text only", ["--preset", "tas-b", "--kind", "passage"], texts_p, 200, query_records(texts_p)),
    ]:
        enc = tok(texts, padding=True, truncation="longest_first", max_length=max_len, return_tensors="pt")
        ids, _ = unpadded(enc)
        check_ids(d, True, texts, max_len, ids)
        out = ref(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state[:, 0]
        runs.append(embed_run(name, flags, recs, ids, [[0] * len(r) for r in ids], out))
        runs.append(tokenize_run(f"tokenize ≤ {max_len}", ["--max-length", str(max_len)], [{"text": t} for t in texts], ids, [[0] * len(r) for r in ids]))
    write_expected(d, "DistilBertModel in the legacy (non-zip) torch format with a CRLF vocab.txt, TAS-B conventions", "F32", runs)


# ---------------------------------------------------------------------------------------------------
# 5b. sentence-transformers repo over BertModel with MAX pooling (fp16 weights), max_seq_length 24.


def make_st_bert_max() -> None:
    from sentence_transformers import SentenceTransformer, models

    d = fresh("st-bert-max-fp16")
    raw = OUT / "_tmp_bert"
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir()
    model = BertModel(BertConfig(**bert_config()))
    widen(model, 61)
    model.to(torch.float16).save_pretrained(raw)
    write_tokenizer_files(raw, base_vocab())
    word = models.Transformer(str(raw), max_seq_length=24, model_args={"dtype": torch.float16})
    st = SentenceTransformer(modules=[word, models.Pooling(32, pooling_mode="max")], device="cpu")
    st.save(str(d))
    shutil.rmtree(raw)
    (d / "README.md").unlink(missing_ok=True)
    # Rewrite it in the classic layout of sentence-transformers 1.x/2.x hub repos: the transformer's
    # files in the 0_Transformer/ module folder, models.* type names, max_seq_length in that folder's
    # sentence_bert_config.json, vocab.txt only (no tokenizer.json).
    sub = d / "0_Transformer"
    sub.mkdir()
    for f in ["config.json", "model.safetensors"]:
        (d / f).rename(sub / f)
    for f in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "sentence_bert_config.json"]:
        (d / f).unlink(missing_ok=True)
    (sub / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 24, "do_lower_case": False}))
    (d / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "0_Transformer", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ], indent=2))
    (d / "1_Pooling/config.json").write_text(json.dumps({
        "word_embedding_dimension": 32, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": False,
        "pooling_mode_max_tokens": True, "pooling_mode_mean_sqrt_len_tokens": False,
    }, indent=2))
    write_tokenizer_files(sub, base_vocab())
    d = sub  # the weights' header check and the token id cross-check read the module folder
    header = json.loads((d / "model.safetensors").read_bytes()[8 : 8 + int.from_bytes((d / "model.safetensors").read_bytes()[:8], "little")])
    assert all(v["dtype"] == "F16" for k, v in header.items() if k != "__metadata__"), "expected fp16 weights"

    # Reference in fp32 from the stored fp16 weights.
    d = d.parent
    st = SentenceTransformer(str(d), device="cpu", model_kwargs={"dtype": torch.float32})
    assert next(st.parameters()).dtype == torch.float32
    texts = QUERIES + [x for _, x in PASSAGES]
    ids, types = unpadded(st.tokenize(texts))
    check_ids(d / "0_Transformer", True, texts, 24, ids)
    emb = st.encode(texts, convert_to_tensor=True, batch_size=len(texts))
    runs = [
        embed_run("texts, max pooling", [], query_records(texts), ids, types, emb),
        tokenize_run("tokenize ≤ 24", ["--max-length", "24"], [{"text": t} for t in texts], ids, types),
    ]
    write_expected(d, "sentence-transformers repo in the classic layout (transformer in 0_Transformer/) over BertModel with max pooling, fp16 model.safetensors, max_seq_length 24", "F16", runs)


# ---------------------------------------------------------------------------------------------------
# Tokenizer only: lowercasing WITHOUT accent stripping, and CJK ideographs not split (tokenize_chinese_chars false).


def make_tokenizer_lower_keep_accents() -> None:
    d = fresh("tokenizer-lower-keep-accents")
    write_tokenizer_files(d, cased_vocab())
    config = {"do_lower_case": True, "strip_accents": False, "tokenize_chinese_chars": False, "model_max_length": 512}
    (d / "tokenizer_config.json").write_text(json.dumps(config))
    tok = BertTokenizer.from_pretrained(d)
    texts = CASED_TEXTS + ["北京大学 in 東京", "naïve café, NAÏVE CAFÉ", "un 日本 deux"]
    enc = tok(texts, truncation="longest_first", max_length=20)
    check_ids(d, True, texts, 20, enc["input_ids"], strip_accents=False, tokenize_chinese_chars=False)
    pairs = list(zip(texts[::2], texts[1::2]))
    # transformers 5's (Rust) longest_first truncation breaks ties between equally long sequences the
    # other way from 3.4.0's (it trims the first); the reference here, as for the goldens, is 3.4.0.
    pair_ids = slow_reference_ids(d / "vocab.txt", True, [list(p) for p in pairs], 16, strip_accents=False, tokenize_chinese_chars=False)
    if pair_ids is None:
        raise SystemExit("tokenizer-lower-keep-accents needs transformers 3.4.0 in /tmp/tokref for its pair reference")
    pair_types = [[0 if i <= r.index(tok.sep_token_id) else 1 for i in range(len(r))] for r in pair_ids]
    runs = [
        tokenize_run("texts ≤ 20", ["--max-length", "20"], [{"text": t} for t in texts], enc["input_ids"], enc["token_type_ids"]),
        tokenize_run("pairs ≤ 16", ["--max-length", "16"], [{"text": a, "text_pair": b} for a, b in pairs], pair_ids, pair_types),
    ]
    write_expected(d, "tokenizer only: do_lower_case true, strip_accents false, tokenize_chinese_chars false; pair ids from transformers 3.4.0 (the first pair ties on length, where transformers 5 truncates differently)", "F32", runs)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    which = sys.argv[1:]
    makers = {
        "st-distilbert-mean-dense": make_st_distilbert_mean_dense,
        "bert-cased-bf16": make_bert_cased_bf16,
        "bert-sharded": make_bert_sharded,
        "dpr-ctx-proj": make_dpr_ctx_proj,
        "distilbert-legacy-crlf": make_distilbert_legacy_crlf,
        "st-bert-max-fp16": make_st_bert_max,
        "tokenizer-lower-keep-accents": make_tokenizer_lower_keep_accents,
    }
    for name, make in makers.items():
        if not which or name in which:
            print("building", name, flush=True)
            make()
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"{OUT}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
