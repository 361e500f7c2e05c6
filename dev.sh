#!/usr/bin/env bash
# One entry point for a fresh machine: creates .venv, installs fundwatch, then runs a task.
#   bash dev.sh demo    set up and run the main job on the embedded default (SQLite, demo site)
#   bash dev.sh test    set up and run the whole test suite
#   bash dev.sh setup   only set up .venv
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv

need_python() {
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        echo "dev.sh: $PYTHON not found; install Python 3.11 or newer" >&2
        exit 1
    fi
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "dev.sh: fundwatch needs Python 3.11 or newer ($("$PYTHON" --version) found)" >&2
        exit 1
    fi
}

make_venv() {
    if "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        return
    fi
    rm -rf "$VENV"
    # Debian ships venv support separately (python3-venv); install it when we may.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "dev.sh: installing python3-venv" >&2
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        "$PYTHON" -m venv "$VENV"
    else
        echo "dev.sh: '$PYTHON -m venv' failed; install your distribution's python3-venv package" >&2
        exit 1
    fi
}

setup() {
    need_python
    [ -x "$VENV/bin/python" ] || make_venv
    local stamp="$VENV/.installed"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -e '.[test]'
        touch "$stamp"
    fi
}

# The browser tests (tests/web) drive Debian's chromium through chromium-driver and need a CJK
# font to render Chinese, the worker tests a redis-server binary; install them when missing and
# we may (root with apt-get).
need_test_packages() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
    # the multi-worker tests start a private redis-server (harness/redis_server.py)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    if ! fc-list 2>/dev/null | grep -qi "CJK"; then
        missing+=(fonts-noto-cjk)
    fi
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "dev.sh: installing ${missing[*]} for the browser and worker tests" >&2
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "dev.sh: the browser and worker tests need ${missing[*]}" \
            "(apt-get install ${missing[*]})" >&2
    fi
}

task=${1:-}
shift || true
case "$task" in
    setup)
        setup
        ;;
    demo)
        setup
        exec "$VENV/bin/fundwatch" demo "$@"
        ;;
    test)
        setup
        need_test_packages
        bash scripts/services.sh || true
        "$VENV/bin/ruff" check .
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    *)
        echo "usage: bash dev.sh demo | test | setup" >&2
        exit 2
        ;;
esac
