#!/usr/bin/env bash
# Starts or stops the local demo nodes on 127.0.0.1:7000-7005 (state in .cluster/).
# Until cluster mode lands (issue #4) it starts one standalone node on 7000.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.cluster
cmd=${1:-start}
bin=${2:-build/tessera-server}

stop() {
  for pidf in "$STATE"/*/tessera.pid; do
    [ -f "$pidf" ] || continue
    pid=$(cat "$pidf")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    rm -f "$pidf"
  done
  echo "Stopped the local nodes."
}

start() {
  stop >/dev/null
  port=7000
  dir="$STATE/$port"
  mkdir -p "$dir"
  "$bin" --port $port --bind 127.0.0.1 --dir "$PWD/$dir" --daemonize yes \
    --pidfile "$PWD/$dir/tessera.pid" --logfile "$PWD/$dir/tessera.log" --save ''
  for _ in $(seq 200); do
    redis-cli -p $port ping >/dev/null 2>&1 && break
    sleep 0.05
  done
  redis-cli -p $port ping >/dev/null
  echo "Started one standalone tessera-server on 127.0.0.1:7000 (cluster mode is not built yet)."
  echo "Connect:  redis-cli -p 7000"
  echo "Logs:     $dir/tessera.log"
  echo "Stop:     make cluster-stop"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [binary]" >&2; exit 2 ;;
esac
