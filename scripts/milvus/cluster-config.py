"""Writes the configs of a two-process Milvus (standalone + an extra query node) sharing Kafka.

Tooling for scripts/milvus/cluster.sh: unpacks the Milvus binaries that PyPI's `milvus` wheel carries
into DATA_DIR/bin, writes the standalone's config to DATA_DIR/configs (127.0.0.1 roles, Kafka as the
message queue instead of the embedded rocksmq) and the query node's to DATA_DIR/querynode-configs (its
own port, and the standalone's etcd rather than an embedded one of its own).
Usage: python cluster-config.py DATA_DIR KAFKA_BROKER QUERYNODE_PORT
"""
import os
import re
import shutil
import sys

import milvus

data_dir, broker, querynode_port = sys.argv[1], sys.argv[2], sys.argv[3]
config = milvus.MilvusServerConfig(data_dir=data_dir, proxy_port=19530)
for role in ('rootCoord', 'proxy', 'queryCoord', 'queryNode', 'indexNode', 'dataCoord', 'dataNode'):
    config.extra_configs[f'{role}.ip'] = '127.0.0.1'
config.extra_configs['mq.type'] = 'kafka'
config.resolve()
milvus._initialize_data_files(config.base_data_dir)  # pylint: disable=protected-access

yaml_path = os.path.join(data_dir, 'configs', 'milvus.yaml')
with open(yaml_path, encoding='utf-8') as f:
    text = f.read()
# The template only carries Kafka as a comment; put a real section in its place.
text, n = re.subn(r'^# kafka:\n(#.*\n)*', f'kafka:\n  brokerList: {broker}\n  readTimeout: 10\n', text, count=1, flags=re.M)
if n != 1:
    sys.exit(f'{yaml_path}: no commented kafka section to replace')
with open(yaml_path, 'w', encoding='utf-8') as f:
    f.write(text)

qn_dir = os.path.join(data_dir, 'querynode-configs')
shutil.rmtree(qn_dir, ignore_errors=True)
shutil.copytree(os.path.join(data_dir, 'configs'), qn_dir)
qn_text = text
qn_text, a = re.subn(r'(^queryNode:\n(?:.*\n)*?  port: )\d+', rf'\g<1>{querynode_port}', qn_text, count=1, flags=re.M)
qn_text, b = re.subn(r'(^  use:\n    embed: )true', r'\g<1>false', qn_text, count=1, flags=re.M)
if a != 1 or b != 1:
    sys.exit(f'{yaml_path}: could not set the query node port ({a}) or turn off embedded etcd ({b})')
with open(os.path.join(qn_dir, 'milvus.yaml'), 'w', encoding='utf-8') as f:
    f.write(qn_text)
