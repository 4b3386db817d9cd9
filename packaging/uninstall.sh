#!/usr/bin/env bash
# Removes what install.sh installed. Data (/var/lib/kiosk, /var/lib/kiosk-hub), config (/etc/kiosk) and logs
# are kept unless --purge is given; the users are kept too (their files stay owned) unless --purge.
#   sudo bash packaging/uninstall.sh [--purge]
set -euo pipefail
purge=0
[ "${1:-}" = "--purge" ] && purge=1
[ "$(id -u)" -eq 0 ] || { echo "uninstall: run as root" >&2; exit 1; }
booted=0
[ -d /run/systemd/system ] && booted=1
for unit in kiosk.service kiosk-hub.service; do
  if [ -f "/etc/systemd/system/$unit" ]; then
    if [ "$booted" = 1 ]; then systemctl disable --now "$unit" || true; else systemctl --root=/ disable "$unit" || true; fi
    rm -f "/etc/systemd/system/$unit"
  fi
done
[ "$booted" = 1 ] && systemctl daemon-reload
rm -f /etc/udev/rules.d/70-kiosk.rules /etc/logrotate.d/kiosk /etc/pam.d/kiosk-cage
rm -f /usr/local/bin/kiosk /usr/local/bin/kiosk-hub
rm -rf /opt/kiosk
if [ "$purge" = 1 ]; then
  echo "uninstall: --purge: deleting data, config and logs"
  rm -rf /var/lib/kiosk /var/lib/kiosk-hub /etc/kiosk /var/log/kiosk
  for u in kiosk kiosk-hub; do id -u "$u" >/dev/null 2>&1 && userdel "$u" || true; done
else
  echo "uninstall: kept /var/lib/kiosk, /var/lib/kiosk-hub, /etc/kiosk and /var/log/kiosk (use --purge to delete)"
fi
echo "uninstall: done"
