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
    from ui.app import build_deps, qt_app, seed_demo_trust

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
