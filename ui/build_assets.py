"""Build-time assets for the UI: compile .ts translations to .qm, pre-render voice prompts. Placeholder until the UI lands."""

from __future__ import annotations


def main() -> int:
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
