#!/usr/bin/env bash
# Create the virtual environment and install linernotes with its pinned development tools.
# On a bare Debian machine run as root, install what Python needs to make a venv first.
set -euo pipefail
python="${1:-python3}"
venv="${2:-.venv}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "linernotes needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1)" >&2
    exit 1
fi
if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv
    else
        echo "'$python -m venv' is not available: install python3-venv" >&2
        exit 1
    fi
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e '.[dev]'
