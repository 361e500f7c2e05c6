#!/usr/bin/env bash
# Start the local PostgreSQL that the test suite uses (127.0.0.1:5432, trust auth, database
# `test`) when it is installed but not running. Exits non-zero when it stays unreachable.
set -u

pg_up() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h 127.0.0.1 -p 5432
    else
        python3 - <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
except OSError:
    sys.exit(1)
PY
    fi
}

if pg_up; then
    exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in /etc/postgresql/*; do
        pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start 2>/dev/null || true
    done
fi
for _ in $(seq 1 30); do
    if pg_up; then
        exit 0
    fi
    sleep 1
done
echo "services.sh: PostgreSQL is not reachable at 127.0.0.1:5432" >&2
exit 1
