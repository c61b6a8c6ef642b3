#!/usr/bin/env bash
# A real Milvus standalone server (PyPI's `milvus` wheel, the Milvus binary with embedded etcd and local
# storage) for tests and benches. Tooling outside the package: densekit itself only speaks to a server.
#
#   scripts/milvus/server.sh install          create/reuse the venv and print the milvus-server path
#   scripts/milvus/server.sh start DATA_DIR   start on 127.0.0.1, wait for /healthz, write DATA_DIR/milvus.pid
#   scripts/milvus/server.sh stop DATA_DIR    SIGINT the pid we wrote, SIGKILL after 15 s
#
# Environment: DENSEKIT_MILVUS_VENV (default ~/.cache/densekit/milvus-venv), MILVUS_AUTH=true to require
# a user (root / Milvus is the server's first password), MILVUS_START_TIMEOUT seconds per start
# attempt (default 90, three attempts).
# The server's ports are Milvus's defaults: 19530 (gRPC), 9091 (health, metrics), 2379/2380 (etcd) and
# internal ones; only one such server runs per machine at a time.
set -euo pipefail
version=2.3.5
venv="${DENSEKIT_MILVUS_VENV:-$HOME/.cache/densekit/milvus-venv}"
bin="$venv/bin/milvus-server"
health=http://127.0.0.1:9091/healthz

healthy() { curl -sf --max-time 2 "$health" 2>/dev/null | grep -q OK; }
# /healthz can answer OK a moment before the proxy accepts gRPC connections on 19530.
ready() { healthy && (exec 3<>/dev/tcp/127.0.0.1/19530) 2>/dev/null; }

case "${1:-}" in
install)
  if [ ! -x "$bin" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check "milvus==$version" >&2
  fi
  echo "$bin"
  ;;
start)
  data="${2:?usage: server.sh start DATA_DIR}"
  [ -x "$bin" ] || { echo "milvus: $bin is missing; run scripts/milvus/server.sh install" >&2; exit 2; }
  if healthy; then echo "milvus: something already answers $health; stop it first (one server per machine)" >&2; exit 3; fi
  mkdir -p "$data"
  # Without these each component advertises the machine's first non-loopback address to the others.
  ips=()
  for role in rootCoord proxy queryCoord queryNode indexNode dataCoord dataNode; do ips+=(--extra-config "$role.ip=127.0.0.1"); done
  auth=()
  [ "${MILVUS_AUTH:-false}" = true ] && auth=(--authorization-enabled true)
  started=$(date +%s%N)
  # Now and then (seen here under heavy load) the server hangs early in start-up and never turns
  # healthy; a fresh start gets past it, so each attempt gets MILVUS_START_TIMEOUT seconds.
  for attempt in 1 2 3; do
    setsid "$bin" --data "$data" --proxy-port 19530 "${ips[@]}" "${auth[@]}" >"$data/milvus.log" 2>&1 &
    pid=$!
    echo "$pid" >"$data/milvus.pid"
    deadline=$(( $(date +%s) + ${MILVUS_START_TIMEOUT:-90} ))
    until ready; do
      # The wrapper outlives its milvus child (left a zombie) when milvus exits early, e.g. because
      # another server holds its ports: treat either as a failed start instead of waiting it out.
      if ! kill -0 "$pid" 2>/dev/null || ps -o stat= --ppid "$pid" 2>/dev/null | grep -q '^Z'; then
        echo "milvus: the server exited during start; last lines of $data/milvus.log:" >&2; tail -n 20 "$data/milvus.log" >&2
        "$0" stop "$data"; exit 1
      fi
      [ "$(date +%s)" -lt "$deadline" ] || break
      sleep 0.5
    done
    ready && break
    echo "milvus: not healthy after ${MILVUS_START_TIMEOUT:-90} s (attempt $attempt of 3; log: $data/milvus.log); stopping it" >&2
    "$0" stop "$data"
    [ "$attempt" -lt 3 ] || exit 1
  done
  ms=$(( ($(date +%s%N) - started) / 1000000 ))
  echo "milvus: pid $pid ready after $((ms / 1000)).$(printf %03d $((ms % 1000))) s, uri 127.0.0.1:19530" >&2
  ;;
stop)
  data="${2:?usage: server.sh stop DATA_DIR}"
  [ -f "$data/milvus.pid" ] || { echo "milvus: no $data/milvus.pid; nothing of ours to stop" >&2; exit 0; }
  pid=$(cat "$data/milvus.pid")
  if kill -0 "$pid" 2>/dev/null; then
    # The wrapper ends its milvus child on SIGINT; SIGKILL goes to the process group setsid gave it.
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "milvus: pid $pid still up after 15 s; SIGKILL" >&2; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; fi
  fi
  rm -f "$data/milvus.pid"
  ;;
*)
  echo "usage: scripts/milvus/server.sh install | start DATA_DIR | stop DATA_DIR" >&2; exit 2
  ;;
esac
