"""The EU DCC public test data, every file: payload from the 2DCODE image (PREFIX where there is none), the file's
certificate as the trust list, VALIDATIONCLOCK as the clock; every EXPECTED* flag present is compared."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from tests.codes.dcc_testdata import FileResult, dcc_files, run_file

# Known bugs in the test data itself (file, flag) → reason. Nothing else may mismatch.
KNOWN_DATA_BUGS = {
    ("FR/2DCode/raw/test_pcr_ok.json", "EXPECTEDDECODE"):
        "JSON says sc 12:34:56Z / dr 12:45:01Z, the signed CBOR 14:34:56Z / 14:45:01Z (local time written as UTC)",
    ("FR/2DCode/raw/test_pcr_ok.json", "EXPECTEDVALIDJSON"):
        "same file: the JSON's test times are two hours off the signed CBOR",
}
VERIFY_FAILURES = {"invalid_signature", "unknown_issuer", "malformed"}


def _check_end_to_end(r: FileResult) -> list[str]:
    """The citizen-facing verdict must agree with the flags (never `valid` when a flag says a check fails)."""
    problems = []
    expect = {flag: want for flag, (want, _got) in r.compared.items()}
    if expect.get("EXPECTEDVERIFY") is False and r.verdict not in VERIFY_FAILURES:
        problems.append(f"VERIFY false but verdict {r.verdict}")
    if expect.get("EXPECTEDKEYUSAGE") is False and r.verdict == "valid":
        problems.append("KEYUSAGE false but verdict valid")
    if expect.get("EXPECTEDEXPIRATIONCHECK") is False and r.verdict not in {"expired", "not_yet_valid"} | \
            VERIFY_FAILURES:
        problems.append(f"EXPIRATIONCHECK false but verdict {r.verdict}")
    layers_ok = all(expect.get(f, True) for f in ("EXPECTEDUNPREFIX", "EXPECTEDB45DECODE", "EXPECTEDCOMPRESSION",
                                                   "EXPECTEDVERIFY", "EXPECTEDKEYUSAGE", "EXPECTEDEXPIRATIONCHECK"))
    if layers_ok and "EXPECTEDEXPIRATIONCHECK" in expect and "EXPECTEDKEYUSAGE" in expect \
            and expect.get("EXPECTEDPICTUREDECODE", True) and r.verdict != "valid":
        problems.append(f"every check expected to pass but verdict {r.verdict}")
    return problems


@pytest.mark.parametrize("decoder", ["pyzbar", "zxing"])
def test_every_dcc_test_file_matches_its_expected_flags(shared_testdata: Path, decoder: str) -> None:
    root = shared_testdata / "dcc"
    files = dcc_files(root)
    assert len(files) >= 390, f"expected the full DCC test data, found {len(files)} files"
    matched: collections.Counter[str] = collections.Counter()
    mismatched: dict[tuple[str, str], tuple[bool, bool]] = {}
    not_applicable: collections.Counter[tuple[str, str]] = collections.Counter()
    verdict_problems: dict[str, list[str]] = {}
    for path in files:
        r = run_file(path, decoder)
        rel = path.relative_to(root).as_posix()
        for flag, (want, got) in r.compared.items():
            if want == got:
                matched[flag] += 1
            else:
                mismatched[(rel, flag)] = (want, got)
        for flag, why in r.not_applicable.items():
            not_applicable[(flag, why)] += 1
        if problems := _check_end_to_end(r):
            verdict_problems[rel] = problems

    total = sum(matched.values())
    print(f"\nDCC test data ({decoder}): {len(files)} files, {total} flag comparisons matched")
    for flag, n in sorted(matched.items()):
        print(f"  {flag:28} {n} matched")
    for key, reason in KNOWN_DATA_BUGS.items():
        print(f"  known test-data bug {key[0]} {key[1]}: {reason}")
    for (flag, why), n in sorted(not_applicable.items()):
        print(f"  not compared: {flag} in {n} files — {why}")
    unexpected = {k: v for k, v in mismatched.items() if k not in KNOWN_DATA_BUGS}
    assert not unexpected, f"flags not matched: {unexpected}"
    assert set(mismatched) == set(KNOWN_DATA_BUGS), "a listed test-data bug no longer shows: update the list"
    assert not verdict_problems, verdict_problems
    assert total >= 3200
