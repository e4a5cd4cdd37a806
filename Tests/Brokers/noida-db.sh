#!/usr/bin/env bash
# Runs a command with a noida-db broker (an independent Kafka-protocol broker, PyPI
# noida-db pinned below) on a free loopback port with a fresh data dir, exported to the
# command as KAFKA_BOOTSTRAP_SERVERS. The broker is stopped by PID on every exit path; its
# log is printed when the command fails. Used by `make test`; usable by hand:
#   Tests/Brokers/noida-db.sh swift test --skip-build --filter Admin
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
venv=${RDKAFKA_TOOLS_VENV:-$top/.build-tools/venv}
binary=$("$venv/bin/python" -c 'import noida_db, os; print(os.path.join(os.path.dirname(noida_db.__file__), "noida-db"))') || {
    echo "noida-db is not installed in $venv: run 'make test-tools' (make test does it)" >&2; exit 1; }

state=$(mktemp -d "${TMPDIR:-/tmp}/noida-db.XXXXXX")
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$state/broker.log"
pid=

stop_broker() {
    [ -n "$pid" ] || return 0
    # SIGTERM can take tens of seconds with a large data dir: a deadline, then SIGKILL.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}
finish() {
    status=$?
    stop_broker
    if [ "$status" -ne 0 ]; then
        echo "---- noida-db log (last 200 lines of $log) ----" >&2
        tail -n 200 "$log" >&2 || true
    fi
    rm -rf "$state"
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

"$binary" start --only kafka --host 127.0.0.1 --kafka-port "$port" --data-dir "$state/data" >"$log" 2>&1 &
pid=$!

# Ready when it says it listens and the port accepts connections.
for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then echo "noida-db exited while starting" >&2; exit 1; fi
    if grep -Eq "kafka +127.0.0.1:$port" "$log" && "$venv/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
grep -Eq "kafka +127.0.0.1:$port" "$log" || { echo "noida-db did not start listening on 127.0.0.1:$port within 30 s" >&2; exit 1; }

echo "noida-db $("$venv/bin/pip" show noida-db 2>/dev/null | sed -n 's/^Version: //p') listening on 127.0.0.1:$port (pid $pid)"
export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$port"
export NOIDA_DB_BINARY="$binary"
"$@"
