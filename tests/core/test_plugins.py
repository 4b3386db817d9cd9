"""The core finds the parts above it through entry points (kiosk/plugins.py): a part not installed in a build is
left out, a part that is installed but broken is an error, and `kiosk ticket take` without a printer driver still
takes (and queues) the ticket and says plainly that it was not printed."""

from __future__ import annotations

import json
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from kiosk import plugins
from kiosk.cli.main import main
from kiosk.store.db import open_store


def _points(*specs: tuple[str, str]) -> list[EntryPoint]:
    return [EntryPoint(name, value, "kiosk.test") for name, value in specs]


def test_a_part_missing_from_the_build_is_left_out_and_the_rest_load_in_name_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    eps = _points(("zz", "json:dumps"), ("absent", "no_such_package_h16.cli:register"), ("aa", "json:loads"))
    monkeypatch.setattr(plugins, "entry_points", lambda group: eps)
    assert plugins.load("kiosk.test") == [json.loads, json.dumps]


def test_a_part_that_is_installed_but_broken_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The part is there; something it needs is not: a packaging bug, never silently a missing command.
    (tmp_path / "h16_broken_part.py").write_text("import no_such_dependency_h16\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(plugins, "entry_points", lambda group: _points(("bad", "h16_broken_part:register")))
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_h16"):
        plugins.load("kiosk.test")


def test_ticket_take_without_a_printer_driver_keeps_the_ticket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "k.toml"
    cfg.write_text(f'kiosk_id = "k-np"\ndata_dir = "{tmp_path / "d"}"\n[printer]\npdf_dir = "{tmp_path / "p"}"\n',
                   encoding="utf-8")
    real_load = plugins.load
    monkeypatch.setattr(plugins, "load", lambda group: [] if group == plugins.TICKET_PRINTERS else real_load(group))
    assert main(["--config", str(cfg), "ticket", "take", "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["printed"] is False and out["print_error"]["error"] == "no_printer"
    assert "未安装打印机驱动" in captured.err and "No printer driver" in captured.err
    assert not (tmp_path / "p").exists()
    store = open_store(tmp_path / "d")
    try:
        assert store.conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == 1
    finally:
        store.close()
