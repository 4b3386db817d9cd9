"""`kiosk doctor`: checks that say in plain words what is wrong with this kiosk and how to fix it.

Core checks live here; drivers, sync and ui add theirs with `register_check` when their CLI module loads.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.config import KioskConfig, load_config
from kiosk.disk import FULL_BYTES, STORAGE_FULL
from kiosk.messages import KioskError
from kiosk.paths import default_config_path
from kiosk.store.db import DB_NAME, KEY_NAME, connect


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    message: str  # plain words; on failure also what to do
    level: str = "error"  # error | warning (a warning does not fail the doctor)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


Check = Callable[[KioskConfig], list[CheckResult]]
_EXTRA_CHECKS: list[Check] = []


def register_check(check: Check) -> None:
    if check not in _EXTRA_CHECKS:
        _EXTRA_CHECKS.append(check)


def _data_dir(cfg: KioskConfig) -> list[CheckResult]:
    d = cfg.data_dir
    if not d.exists():
        return [CheckResult("data_dir", False, f"Data folder {d} does not exist yet; it is created on first start "
                                               "(run `kiosk demo` or start the kiosk once).", "warning")]
    if not os.access(d, os.W_OK):
        return [CheckResult("data_dir", False, f"Data folder {d} is not writable by this user; fix its owner "
                                               f"(sudo chown -R kiosk: {d}).")]
    st = d.stat()
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o077:
        return [CheckResult("data_dir", False, f"Data folder {d} can be read by other users (mode {oct(mode)}); it "
                                               f"holds citizens' records (encrypted, but its key file too): run "
                                               f"chmod 700 {d}", "warning")]
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return [CheckResult("data_dir", False, f"Data folder {d} belongs to another user (uid {st.st_uid}); run the "
                                               "kiosk as its owner, or fix the owner with chown.", "warning")]
    return [CheckResult("data_dir", True, f"Data folder {d} is writable and private (mode {oct(mode)}).")]


DISK_ERROR_BYTES = 200 * 1024 * 1024
DISK_WARNING_BYTES = 1024 * 1024 * 1024


def _disk_space(cfg: KioskConfig) -> list[CheckResult]:
    d = cfg.data_dir
    while not d.exists() and d != d.parent:
        d = d.parent  # the folder is created on first start: measure the disk it will be on
    free = shutil.disk_usage(d).free
    text = f"{free / 1024 ** 3:.1f} GB free on the disk of {cfg.data_dir}"
    if free < FULL_BYTES:  # the kiosk refuses new records now: the `disk` fault its heartbeat reports too
        return [CheckResult("disk", False, f"{STORAGE_FULL.zh} / {STORAGE_FULL.en} — only {free // 1024} KB free on "
                                           f"the disk of {cfg.data_dir}; new records are refused until space is "
                                           "freed (nothing queued is lost). Free space (old logs in /var/log, "
                                           "receipts); the kiosk carries on without a restart."),
                CheckResult("disk_space", False, f"Only {text}: the kiosk cannot save records. Free space.")]
    if free < DISK_ERROR_BYTES:
        return [CheckResult("disk_space", False, f"Only {text}: the kiosk may fail to save records. Free space "
                                                 "(old logs in /var/log, receipts) or call the technician.")]
    if free < DISK_WARNING_BYTES:
        return [CheckResult("disk_space", False, f"Only {text}; free some space soon.", "warning")]
    return [CheckResult("disk_space", True, f"{text[0].upper()}{text[1:]}.")]


def _key_file(cfg: KioskConfig) -> list[CheckResult]:
    key = cfg.data_dir / KEY_NAME
    if not key.exists():
        db_exists = (cfg.data_dir / DB_NAME).exists()
        return [CheckResult("key_file", not db_exists,
                            f"Key file {key} is missing" + ("; the database cannot be read without it — restore it "
                                                            "from the technician's backup." if db_exists else
                                                            "; it is created on first start."),
                            "error" if db_exists else "warning")]
    mode = stat.S_IMODE(key.stat().st_mode)
    if mode & 0o077:
        return [CheckResult("key_file", False, f"Key file {key} is readable by others (mode {oct(mode)}); "
                                               f"run: chmod 600 {key}")]
    return [CheckResult("key_file", True, f"Key file {key} has mode 0600.")]


def _database(cfg: KioskConfig) -> list[CheckResult]:
    path: Path = cfg.data_dir / DB_NAME
    if not path.exists():
        return [CheckResult("database", True, f"No database yet at {path}; it is created on first start.", "warning")]
    try:
        conn = connect(path)
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        pending = conn.execute("SELECT COUNT(*) FROM outbox WHERE state IN ('pending','sending')").fetchone()[0] \
            if version else 0
        conn.close()
    except Exception as exc:  # any sqlite failure is "damaged" to the technician
        return [CheckResult("database", False, f"Database {path} cannot be opened ({type(exc).__name__}); "
                                               "restore the latest copy from backups/.")]
    if result != "ok":
        return [CheckResult("database", False, f"Database {path} is damaged ({result}); restore from backups/.")]
    return [CheckResult("database", True, f"Database ok (schema v{version}, {pending} records waiting to upload).")]


def _hub_slot(cfg: KioskConfig) -> tuple[int, int, str] | None:
    """(slot, slots, hall) the hub gave this kiosk, as the last pull stored it; None if none yet."""
    import json

    path = cfg.data_dir / DB_NAME
    if not path.exists():
        return None
    try:
        conn = connect(path)
        row = conn.execute("SELECT body FROM hub_cache WHERE name='placement'").fetchone()
        conn.close()
        data = json.loads(bytes(row[0])) if row is not None else None
        return (int(data["slot"]), int(data["slots"]), str(data.get("hall", ""))) if data else None
    except Exception:  # no table yet, a damaged row: as if none (the database check says if it is damaged)
        return None


def _names(cfg: KioskConfig) -> list[CheckResult]:
    # A kiosk left at the shipped names prints "demo-kiosk-01-…" receipt numbers and shares its hub name with
    # every other forgotten config; the hub knows each kiosk by the name given at `kiosk-hub kiosk add NAME`.
    unset = [name for name in ("kiosk_id", "hall_id", "display_name") if name not in cfg.model_fields_set]
    if not unset:
        return [CheckResult("names", True, f"This kiosk is {cfg.kiosk_id} ({cfg.display_name}) in hall "
                                           f"{cfg.hall_id}.")]
    values = ", ".join(repr(str(getattr(cfg, name))) for name in unset)
    return [CheckResult("names", False, f"{', '.join(unset)} left at the default ({values}): set kiosk_id to the "
                                        "name the hub knows this kiosk by (kiosk-hub kiosk add NAME), hall_id to its "
                                        "hall, and display_name to what citizens should read on the screen and on "
                                        "their receipts.", "warning")]


def _ticket_slot(cfg: KioskConfig) -> list[CheckResult]:
    # Numbers are unique in the hall only if every kiosk draws from its own block (kiosk/tickets.py): the hub
    # gives each kiosk its slot (`kiosk-hub kiosk add NAME --hall HALL`); a slot set in the config wins.
    if cfg.hub_url is None:
        return []
    t = cfg.tickets
    if "slot" in t.model_fields_set:
        return [CheckResult("ticket_slot", True, f"Queue numbers come from block {t.slot} of {t.slots}, set in the "
                                                 "config ([tickets] slot; each kiosk of the hall needs its own).")]
    given = _hub_slot(cfg)
    if given is not None:
        slot, slots, hall = given
        return [CheckResult("ticket_slot", True, f"Queue numbers come from block {slot} of {slots}, given by the hub "
                                                 f"(hall {hall}).")]
    return [CheckResult("ticket_slot", False, f"No ticket slot yet (using {t.slot} of {t.slots}): add this kiosk to "
                                              f"its hall at the hub (kiosk-hub kiosk add {cfg.kiosk_id} --hall HALL) "
                                              "and it takes its own slot on the next pull, or set [tickets] slot; "
                                              "else two kiosks will print the same queue numbers.", "warning")]


CORE_CHECKS: list[Check] = [_data_dir, _key_file, _database, _disk_space, _names, _ticket_slot]


def run_checks(config_path: str | None) -> list[CheckResult]:
    try:
        cfg = load_config(config_path)
    except KioskError as exc:
        return [CheckResult("config", False, exc.message.en + " — fix the file, then run `kiosk config check`.")]
    path = Path(config_path) if config_path else default_config_path()
    if path.exists():
        results = [CheckResult("config", True, f"Config file {path} is valid.")]
    else:
        results = [CheckResult("config", True, f"No config file at {path}: running with defaults (no card reader, "
                                               "no scanner, no hub). Copy packaging/kiosk.example.toml there to set "
                                               "up a real kiosk.", "warning")]
    for check in [*CORE_CHECKS, *_EXTRA_CHECKS]:
        try:
            results.extend(check(cfg))
        except Exception as exc:  # a broken check must not hide the others
            results.append(CheckResult(getattr(check, "__name__", "check"), False, f"Check failed to run: {exc!r}"))
    return results
