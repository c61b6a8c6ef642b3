#!/usr/bin/env bash
# Milvus as more than one process on this machine, for the query-node bench: a Kafka broker (KRaft, from
# Maven Central), `milvus run standalone` using Kafka as its message queue, and a second
# `milvus run querynode` that joins it through the standalone's etcd and shares its local storage.
# Tooling outside the package (bench/milvus-query-nodes.ts uses it).
#
#   scripts/milvus/cluster.sh start DIR [querynode]   Kafka + standalone (+ the extra query node)
#   scripts/milvus/cluster.sh querynode DIR           add the extra query node to a running set
#   scripts/milvus/cluster.sh stop DIR                stop ours, in the order that does not hang:
#                                                     query node, standalone, then Kafka
# Ports: Kafka 9092/9093; standalone as scripts/milvus/server.sh (19530, health 9091); query node 21223,
# health 9191. All on 127.0.0.1 except Milvus's own listeners, which bind every interface.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${DENSEKIT_CACHE:-$HOME/.cache/densekit}"
kafka_lib="$cache/kafka-4.0.1/lib"
venv="${DENSEKIT_MILVUS_VENV:-$cache/milvus-venv}"

healthy() { curl -sf --max-time 2 "http://127.0.0.1:$1/healthz" 2>/dev/null | grep -q OK; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # what pid-file check-command... (120 s)
  local what=$1 pidfile=$2; shift 2
  local deadline=$(( $(date +%s) + 120 ))
  until "$@"; do
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "cluster: $what exited during start (see $pidfile's log)" >&2; return 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "cluster: $what not ready after 120 s" >&2; return 1; }
    sleep 0.5
  done
  echo "cluster: $what ready" >&2
}

stop_pid() { # name pid-file signal
  local name=$1 pidfile=$2 sig=$3
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "cluster: $name (pid $pid) still up after 15 s; SIGKILL" >&2; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; fi
  fi
  rm -f "$pidfile"
}

start_querynode() {
  local dir=$1
  # `cd` on its own line: `cd && cmd &` would background a subshell, and $! would be its pid, not milvus's.
  ( cd "$dir/milvus"
    METRICS_PORT=9191 MILVUSCONF="$dir/milvus/querynode-configs" MILVUS_RUN_DIR="$dir/milvus/run-querynode" \
      LD_LIBRARY_PATH="$dir/milvus/bin:${LD_LIBRARY_PATH:-}" setsid bin/milvus run querynode >"$dir/querynode.log" 2>&1 &
    echo $! >"$dir/querynode.pid" )
  wait_for "query node" "$dir/querynode.pid" healthy 9191 || { "$here/cluster.sh" stop "$dir"; exit 1; }
}

case "${1:-}" in
start)
  dir="$(mkdir -p "${2:?usage: cluster.sh start DIR}" && cd "$2" && pwd)"
  "$here/server.sh" install >/dev/null
  if [ ! -f "$kafka_lib/kafka_2.13-4.0.1.jar" ]; then
    mvn -q -B -f "$here/kafka-pom.xml" dependency:copy-dependencies -DoutputDirectory="$kafka_lib" >&2
  fi
  if healthy 9091 || port_open 9092; then echo "cluster: ports 9091 or 9092 are taken; stop the other server first" >&2; exit 3; fi
  mkdir -p "$dir/kafka"
  cat >"$dir/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/kafka/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
PROPS
  java -cp "$kafka_lib/*" kafka.tools.StorageTool format -t "$(java -cp "$kafka_lib/*" kafka.tools.StorageTool random-uuid)" \
    -c "$dir/kafka/server.properties" --ignore-formatted >"$dir/kafka/format.log" 2>&1
  ( setsid java -Xmx512m -cp "$kafka_lib/*" kafka.Kafka "$dir/kafka/server.properties" >"$dir/kafka.log" 2>&1 & echo $! >"$dir/kafka.pid" )
  wait_for kafka "$dir/kafka.pid" port_open 9092 || { "$here/cluster.sh" stop "$dir"; exit 1; }

  "$venv/bin/python" "$here/cluster-config.py" "$dir/milvus" 127.0.0.1:9092 21223 || { "$here/cluster.sh" stop "$dir"; exit 1; }
  ( cd "$dir/milvus"
    DEPLOY_MODE=STANDALONE METRICS_PORT=9091 MILVUSCONF="$dir/milvus/configs" MILVUS_RUN_DIR="$dir/milvus/run" \
      LD_LIBRARY_PATH="$dir/milvus/bin:${LD_LIBRARY_PATH:-}" setsid bin/milvus run standalone >"$dir/standalone.log" 2>&1 &
    echo $! >"$dir/standalone.pid" )
  wait_for standalone "$dir/standalone.pid" healthy 9091 || { "$here/cluster.sh" stop "$dir"; exit 1; }
  if [ "${3:-}" = querynode ]; then start_querynode "$dir"; fi
  ;;
querynode)
  start_querynode "$(cd "${2:?usage: cluster.sh querynode DIR}" && pwd)"
  ;;
stop)
  dir="${2:?usage: cluster.sh stop DIR}"
  stop_pid "query node" "$dir/querynode.pid" INT
  stop_pid standalone "$dir/standalone.pid" INT
  stop_pid kafka "$dir/kafka.pid" TERM
  ;;
*)
  echo "usage: scripts/milvus/cluster.sh start DIR [querynode] | querynode DIR | stop DIR" >&2; exit 2
  ;;
esac
