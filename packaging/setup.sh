#!/usr/bin/env bash
# Sets up this checkout on Debian 12: system packages, a virtualenv with the project, voice prompts.
# Idempotent: each step is skipped when its inputs have not changed. Usage: setup.sh [--dev]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
dev=0
[ "${1:-}" = "--dev" ] && dev=1

# Runtime packages a kiosk needs: PC/SC daemon, zbar, CJK fonts, Qt's xcb/offscreen runtime, speech, printing.
runtime_pkgs=(
  python3-venv python3-dev build-essential swig
  pcscd libpcsclite-dev libpcsclite1 pcsc-tools
  libzbar0 fonts-noto-cjk
  libegl1 libgl1 libopengl0 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0 libxcb-sync1
  libxcb-xkb1 libx11-xcb1 libxrender1 libxi6 libsm6 libice6 libnss3 libasound2 libpulse0
  xvfb espeak-ng cups-client
  cage xwayland libwayland-client0 libwayland-cursor0 libwayland-egl1 fontconfig
)
# Test-only packages. vsmartcard-vpcd listens on the network and must never be part of a kiosk install.
dev_pkgs=(vsmartcard-vpcd postgresql procps chromium fonts-noto-cjk ghostscript poppler-utils)

need=()
want=("${runtime_pkgs[@]}")
[ "$dev" = 1 ] && want+=("${dev_pkgs[@]}")
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts pcscd through socket activation; tests run their own private pcscd instead.
fi

py="${KIOSK_PYTHON:-python3}"
stamp_src=$(cat pyproject.toml packaging/setup.sh | sha256sum | cut -c1-16)
stamp=".venv/.setup-$stamp_src-$dev"
if [ ! -f "$stamp" ]; then
  # A venv left half-made (set-up interrupted while it ran ensurepip) has python but no pip: make it anew.
  if [ -x .venv/bin/python ] && ! .venv/bin/python -m pip --version >/dev/null 2>&1; then rm -rf .venv; fi
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "$dev" = 1 ]; then
    .venv/bin/python -m pip install -q -e ".[dev]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  rm -f .venv/.setup-*
  touch "$stamp"
fi

# Pre-rendered voice prompts from the text catalog (kiosk/locale/*.po, read as shipped); skipped when up to date.
.venv/bin/python -m ui.build_assets || echo "setup: could not build the voice prompts (kiosk runs with text only)"
# The reduced print face (GB 2312 subset of Noto Sans CJK SC): tickets render in a fraction of a second instead
# of 8–10 s. Kept when up to date; without it paper is set in the full face (slow, same letters).
.venv/bin/python -m drivers.printer.print_font || echo "setup: print font not built (paper uses the full face)"
echo "setup: ready ($( [ "$dev" = 1 ] && echo 'kiosk + tests' || echo 'kiosk' ))"
