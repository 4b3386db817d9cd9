"""Internal parse/verify failures of the code layers; `verify.py` turns each into a verdict, never a crash."""

from __future__ import annotations


class CodeError(Exception):
    """A payload failed one layer. `verdict` is the verdict name it maps to; `stage` names the layer."""

    def __init__(self, verdict: str, stage: str, reason: str) -> None:
        super().__init__(f"{stage}: {reason}")
        self.verdict = verdict
        self.stage = stage
        self.reason = reason


def malformed(stage: str, reason: str) -> CodeError:
    return CodeError("malformed", stage, reason)
