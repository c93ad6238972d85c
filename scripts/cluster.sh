#!/usr/bin/env bash
# Starts or stops the local demo cluster: six tessera-server nodes on 127.0.0.1:7000-7005
# (state, nodes.conf, pidfile and log in .cluster/<port>/), joined by
# `redis-cli --cluster create ... --cluster-replicas 1` into 3 masters with one replica each.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.cluster
PORTS=(7000 7001 7002 7003 7004 7005)
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

# Waits until `redis-cli -p $1 $2...` prints something matching the last argument.
wait_for() {
  local port=$1 pattern=$2
  shift 2
  for _ in $(seq 300); do
    redis-cli -p "$port" "$@" 2>/dev/null | grep -q "$pattern" && return 0
    sleep 0.1
  done
  echo "Node $port never reported '$pattern' for '$*'; see $STATE/$port/tessera.log" >&2
  return 1
}

start() {
  stop >/dev/null
  # A fresh cluster each time: old nodes.conf files would make the nodes non-empty.
  rm -rf "$STATE"
  for port in "${PORTS[@]}"; do
    dir="$PWD/$STATE/$port"
    mkdir -p "$dir"
    "$bin" --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
      --pidfile "$dir/tessera.pid" --logfile "$dir/tessera.log" --save ''
  done
  for port in "${PORTS[@]}"; do wait_for "$port" PONG ping; done
  addrs=()
  for port in "${PORTS[@]}"; do addrs+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes
  for port in "${PORTS[@]}"; do wait_for "$port" "cluster_state:ok" cluster info; done
  echo
  echo "A 3-master / 3-replica Tessera cluster runs on 127.0.0.1:7000-7005 (cluster_state:ok)."
  echo "Connect:  redis-cli -c -p 7000"
  echo "Logs:     $STATE/<port>/tessera.log"
  echo "Stop:     make cluster-stop"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [binary]" >&2; exit 2 ;;
esac
