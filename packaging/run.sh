#!/usr/bin/env bash
# The README's commands: `run.sh demo` sets up and starts the kiosk demo; `run.sh test` sets up and tests;
# `run.sh bundle` builds the one-folder bundle dist/kiosk/ (PyInstaller).
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
  bundle)
    # One-folder bundle in dist/kiosk/ (PyInstaller); smoke-checked offscreen after the build.
    bash packaging/setup.sh --dev
    .venv/bin/python -m pip install -q "pyinstaller>=6.5"
    .venv/bin/python -m ui.build_assets >/dev/null || true
    start=$(date +%s)
    .venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
      packaging/kiosk.spec
    echo "bundle: built dist/kiosk in $(( $(date +%s) - start )) s, $(du -sh dist/kiosk | cut -f1)"
    QT_QPA_PLATFORM=offscreen dist/kiosk/kiosk --version
    ;;
  *) echo "usage: packaging/run.sh demo|test|bundle [args]" >&2; exit 2 ;;
esac
