#!/usr/bin/env bash
# The README's two commands: `run.sh demo` sets up and starts the kiosk demo; `run.sh test` sets up and tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
what="${1:-demo}"; shift || true
case "$what" in
  demo)
    bash packaging/setup.sh
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "run: no display here; rendering the screen tour to ./tour instead of opening a window"
      QT_QPA_PLATFORM=offscreen exec .venv/bin/kiosk demo --tour tour "$@"
    fi
    exec .venv/bin/kiosk demo "$@"
    ;;
  test)
    bash packaging/setup.sh --dev
    export QT_QPA_PLATFORM=offscreen
    # ruff and the import-linter contracts run as tests (tests/test_code_quality.py, tests/core/test_layering.py).
    exec .venv/bin/python -m pytest "$@"
    ;;
  *) echo "usage: packaging/run.sh demo|test [args]" >&2; exit 2 ;;
esac
