#!/usr/bin/env bash
# Installs the kiosk (and/or the hall hub) on Debian 12, as root. Idempotent: run it again to upgrade; data in
# /var/lib/kiosk and /var/lib/kiosk-hub and the config in /etc/kiosk are kept.
#   sudo bash packaging/install.sh [--role kiosk|hub|both] [--no-enable] [--no-apt]
# kiosk: user `kiosk`, venv /opt/kiosk/venv, config /etc/kiosk/kiosk.toml, data /var/lib/kiosk (0700),
#        logs /var/log/kiosk (logrotate), kiosk.service (cage on tty1, Type=notify, watchdog), udev rules.
# hub:   user `kiosk-hub`, data /var/lib/kiosk-hub (0700), kiosk-hub.service (127.0.0.1:8700 until configured).
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
role=kiosk enable=1 apt=1
while [ $# -gt 0 ]; do
  case "$1" in
    --role) role="$2"; shift 2 ;;
    --no-enable) enable=0; shift ;;
    --no-apt) apt=0; shift ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) echo "install: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$role" in kiosk|hub|both) ;; *) echo "install: --role must be kiosk, hub or both" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "install: run as root (sudo bash packaging/install.sh)" >&2; exit 1; }
grep -q '^12' /etc/debian_version 2>/dev/null || echo "install: warning: made for Debian 12; continuing" >&2

prefix=/opt/kiosk
want_kiosk=0 want_hub=0
[ "$role" != hub ] && want_kiosk=1
[ "$role" != kiosk ] && want_hub=1
step() { echo "install: $*"; }

# 1. System packages. pyscard is built from source (swig, libpcsclite-dev); cage+xwayland show the kiosk.
pkgs=(python3 python3-venv python3-dev build-essential swig libpcsclite-dev libpcsclite1 libzbar0 logrotate
      fonts-noto-cjk fontconfig libegl1 libgl1 libopengl0 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6
      libxkbcommon0 libnss3 libasound2)
[ "$want_kiosk" = 1 ] && pkgs+=(pcscd pcsc-tools cage xwayland libwayland-client0 libwayland-cursor0
                               libwayland-egl1 espeak-ng cups-client alsa-utils udev)
if [ "$apt" = 1 ]; then
  missing=()
  for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# 2. Users. The kiosk user may use serial ports, cameras, input, sound and the printer; it has no shell.
add_user() {  # name home
  if ! id -u "$1" >/dev/null 2>&1; then
    step "creating system user $1"
    useradd --system --user-group --home-dir "$2" --no-create-home --shell /usr/sbin/nologin "$1"
  fi
}
if [ "$want_kiosk" = 1 ]; then
  add_user kiosk /var/lib/kiosk
  for g in dialout video render input audio lp; do
    getent group "$g" >/dev/null && usermod -a -G "$g" kiosk
  done
fi
[ "$want_hub" = 1 ] && add_user kiosk-hub /var/lib/kiosk-hub

# 3. The software: a venv under /opt/kiosk with this checkout installed (not editable, the text catalog
#    included), voice prompts built into it (root-owned: the kiosk user cannot change its own code).
step "installing the software into $prefix/venv"
install -d -m 0755 "$prefix" "$prefix/docs"
# Debian's own Python, by full path: a python3 earlier on root's PATH (pyenv, /usr/local) may live where the
# kiosk user cannot read it. A venv made by another interpreter is made again.
py=/usr/bin/python3
if [ -x "$prefix/venv/bin/python" ] && [ "$(readlink -f "$prefix/venv/bin/python")" != "$(readlink -f "$py")" ]; then
  step "the venv was made by another Python; making it again with $py"
  rm -rf "$prefix/venv"
fi
[ -x "$prefix/venv/bin/python" ] || "$py" -m venv "$prefix/venv"
"$prefix/venv/bin/python" -m pip install -q --upgrade pip
"$prefix/venv/bin/python" -m pip install -q --upgrade "$src"
(cd / && "$prefix/venv/bin/python" -m ui.build_assets) || step "voice prompts not built (text only)"
(cd / && "$prefix/venv/bin/python" -m drivers.printer.print_font) || step "print font not built (paper slower)"
install -m 0644 "$src/docs/deploy.md" "$prefix/docs/deploy.md"
ln -sf "$prefix/venv/bin/kiosk" /usr/local/bin/kiosk
ln -sf "$prefix/venv/bin/kiosk-hub" /usr/local/bin/kiosk-hub

# 4. Config and data. The config is never overwritten; the data folders are private to their users.
install -d -m 0755 /etc/kiosk
if [ "$want_kiosk" = 1 ]; then
  if [ ! -f /etc/kiosk/kiosk.toml ]; then
    step "writing /etc/kiosk/kiosk.toml from the example: edit it (kiosk_id, hub_url, devices)"
    install -m 0640 -g kiosk "$src/packaging/kiosk.example.toml" /etc/kiosk/kiosk.toml
  fi
  install -d -m 0700 -o kiosk -g kiosk /var/lib/kiosk
  chmod 0700 /var/lib/kiosk
  install -d -m 0750 -o kiosk -g kiosk /var/log/kiosk
  install -m 0644 "$src/packaging/logrotate/kiosk" /etc/logrotate.d/kiosk
  install -m 0644 "$src/packaging/pam/kiosk-cage" /etc/pam.d/kiosk-cage
  install -m 0644 "$src/packaging/udev/70-kiosk.rules" /etc/udev/rules.d/70-kiosk.rules
  install -m 0644 "$src/packaging/systemd/kiosk.service" /etc/systemd/system/kiosk.service
fi
if [ "$want_hub" = 1 ]; then
  install -d -m 0700 -o kiosk-hub -g kiosk-hub /var/lib/kiosk-hub
  [ -f /etc/kiosk/hub.env ] || printf '%s\n' '# kiosk-hub.service settings, e.g.:' \
    '# HUB_HOST=0.0.0.0' '# HUB_PORT=8443' \
    '# HUB_LISTEN_ARGS=--tls-cert /etc/kiosk/hub-cert.pem --tls-key /etc/kiosk/hub-key.pem' > /etc/kiosk/hub.env
  install -m 0644 "$src/packaging/systemd/kiosk-hub.service" /etc/systemd/system/kiosk-hub.service
fi

# 5. Activate: udev rules, units. Without a running systemd (a container, a chroot) units are only enabled.
booted=0
[ -d /run/systemd/system ] && booted=1
if [ "$want_kiosk" = 1 ] && [ "$booted" = 1 ] && command -v udevadm >/dev/null; then
  udevadm control --reload || true
  udevadm trigger --subsystem-match=tty --subsystem-match=video4linux || true
fi
units=()
[ "$want_kiosk" = 1 ] && units+=(kiosk.service pcscd.socket)
[ "$want_hub" = 1 ] && units+=(kiosk-hub.service)
if [ "$enable" = 1 ]; then
  if [ "$booted" = 1 ]; then
    systemctl daemon-reload
    [ "$want_kiosk" = 1 ] && systemctl set-default graphical.target >/dev/null
    systemctl enable "${units[@]}"
  else
    step "systemd is not running here: enabling units offline only"
    systemctl --root=/ enable "${units[@]}" || step "could not enable ${units[*]} (enable them after boot)"
  fi
fi
step "done ($role). Next: edit /etc/kiosk/kiosk.toml, then run: sudo -u kiosk kiosk doctor"
