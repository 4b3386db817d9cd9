"""`kiosk run`'s code checker trusts only what a hub published: the demo codes in the repository are refused,
while the same codes pass in `kiosk demo` (which alone installs the demo trust material)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kiosk.codes.verdict import VerdictKind
from kiosk.config import KioskConfig
from kiosk.store import open_store


def _demo_codes() -> list[str]:
    text = resources.files("kiosk.codes").joinpath("data", "demo_codes.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_demo_codes_are_refused_by_kiosk_runs_checker_and_pass_only_in_the_demo(tmp_path: Path) -> None:
    from ui.app import build_deps, qt_app
    from ui.demo import seed_demo_trust

    qt_app()
    codes = _demo_codes()
    assert codes, "the repository's demo codes"
    run_cfg = KioskConfig(data_dir=tmp_path / "run", printer={"pdf_dir": tmp_path / "r"}, ui={"voice": False})
    deps = build_deps(run_cfg, online=False)  # what start_kiosk builds for `kiosk run`
    store = open_store(run_cfg.data_dir)
    try:
        verdicts = [deps.verify_code(code, store) for code in codes]
    finally:
        store.close()
        deps.runner.shutdown()
    assert [v.kind for v in verdicts if v.ok] == []

    demo_cfg = run_cfg.model_copy(update={"data_dir": tmp_path / "demo"})
    seed_demo_trust(demo_cfg.data_dir)  # `kiosk demo` only
    deps = build_deps(demo_cfg)
    store = open_store(demo_cfg.data_dir)
    try:
        demo_verdicts = [deps.verify_code(code, store) for code in codes]
    finally:
        store.close()
        deps.runner.shutdown()
    trusted_in_demo = [i for i, v in enumerate(demo_verdicts) if v.ok]
    assert len(trusted_in_demo) >= 2, [v.verdict for v in demo_verdicts]  # the signed demo codes
    # ... which a real kiosk refuses because it trusts no demo key ("no trust list" until its hub publishes one).
    assert {verdicts[i].verdict for i in trusted_in_demo} <= {VerdictKind.TRUST_LIST_STALE, VerdictKind.UNKNOWN_ISSUER}


def test_kiosk_run_composition_loads_no_demo_material(qtbot: object, tmp_path: Path) -> None:
    """Started as `kiosk run` does (no hub configured): no trust list, hub keys, roster or authorization in the
    store; started as `kiosk demo` does, all of them."""
    from ui.app import start_kiosk
    from ui.demo import demo_config, start_demo_kiosk

    def material(data_dir: Path) -> dict[str, int]:
        store = open_store(data_dir)
        try:
            cache = {r[0] for r in store.conn.execute("SELECT name FROM hub_cache")}
            auths = store.conn.execute("SELECT COUNT(*) FROM authorizations").fetchone()[0]
        finally:
            store.close()
        return {"trust_list": "trust_list" in cache, "hub_keys": "hub_keys" in cache, "roster": "roster" in cache,
                "authorizations": auths}

    cfg = KioskConfig(data_dir=tmp_path / "run", card_reader={"driver": "none"}, scanner={"driver": "none"},
                      printer={"pdf_dir": tmp_path / "r"}, ui={"voice": False})
    running = start_kiosk(cfg, size="1920x1080", windowed=True, printer_every_s=3600)
    running.window.close()
    running.stop()
    assert material(cfg.data_dir) == {"trust_list": False, "hub_keys": False, "roster": False, "authorizations": 0}

    demo_cfg, _ = demo_config(cfg, tmp_path / "demo")
    running = start_demo_kiosk(demo_cfg, size="1920x1080")
    running.window.close()
    running.stop()
    assert material(demo_cfg.data_dir) == {"trust_list": True, "hub_keys": True, "roster": True, "authorizations": 1}
