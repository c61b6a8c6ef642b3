# Regenerates test/tokenizer/reference-cases.json with the reference tokenizer (tooling only, not part of
# the package). Needs transformers==3.4.0 (pip install --no-deps transformers==3.4.0 tokenizers six
# numpy regex sacremoses filelock requests tqdm packaging sentencepiece protobuf) and
# PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python. Run from the repo root: python test/tokenizer/reference-cases.py
import json, logging
logging.disable(logging.CRITICAL)
from transformers import BertTokenizer
import transformers
V='test/fixtures/goldens/tokenizer/bert-base-uncased/vocab.txt'
def mk(**kw):
    t = BertTokenizer(V, **kw); t.sanitize_special_tokens(); return t
configs = {'uncased': {}, 'cased': {'do_lower_case': False}, 'uncased_keep_accents': {'strip_accents': False}, 'cased_no_cjk_strip': {'do_lower_case': False, 'tokenize_chinese_chars': False, 'strip_accents': True}}
toks = {k: mk(**v) for k, v in configs.items()}
texts = [
 'ΣΑΣ ΟΔΥΣΣΕΥΣ final sigma', 'foo[SEP]bar', 'x [MASK]y [UNK]', '[sep] [Sep] [SEP', '[SE\x00P] [CLS]\u200b',
 'İstanbul ǅemal', 'Straße ﬁnal', 'line\u2028sep\u2029para', 'ctrl\x0b\x0c\x1c\x85end', 'bom\ufeffhere',
 'e\u0301 a\u0308 Émile Ñandú', '北京\u0301 \uf900豈 \U00020000x', 'Greek question\u037e ano\u0387 varia\u1fef',
 '😀👍🏽 text', 'a' * 100, 'a' * 101, 'é' * 101, '\ufffd\x00', '\u3000full\u3000width', 'Hello, World! It\'s 3.14 — “ok”',
 'MiXeD CaSe BeRT', 'co-operate re-enter', '', ' \t\n ',
]
cases = []
for name, t in toks.items():
    for s in texts:
        cases.append({'config': name, 'text': s, 'tokens': t.tokenize(s), 'input_ids': t.encode(s)})
u = toks['uncased']
pairs = [('Title words here', 'a b c d e f g h i j k l m', 10), ('a b c d e f g h', 'x y', 9), ('a b', 'c d', 6), ('one two three', 'four five six', 7)]
for a, b, ml in pairs:
    for strat in ['longest_first', 'only_first', 'only_second']:
        e = u(a, b, max_length=ml, truncation=strat)
        if len(e['input_ids']) > ml: continue  # the reference returns an over-long sequence here; densekit throws
        cases.append({'config': 'uncased', 'text': a, 'text_pair': b, 'max_length': ml, 'truncation': strat, 'input_ids': e['input_ids'], 'token_type_ids': e['token_type_ids']})
json.dump({'reference': f'transformers {transformers.__version__} BertTokenizer(vocab.txt of bert-base-uncased, **config) + sanitize_special_tokens() (as from_pretrained does)', 'configs': configs, 'cases': cases}, open('test/tokenizer/reference-cases.json', 'w'), ensure_ascii=True, indent=None)
print(len(cases))
