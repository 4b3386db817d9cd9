"""The whole tree is `ruff` clean with the project's configuration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_clean() -> None:
    exe = Path(sys.executable).parent / "ruff"
    out = subprocess.run([str(exe), "check", "--output-format=concise", "."], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-1000:]
