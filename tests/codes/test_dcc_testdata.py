"""The EU DCC public test data, every file: payload from the 2DCODE image (PREFIX where there is none), the file's
certificate as the trust list, VALIDATIONCLOCK as the clock; every EXPECTED* flag present is compared.

The schema flags follow the test data README, against the eu-dcc-schema release the DCC's `ver` names (or a later
one that allows it): EXPECTEDVALIDOBJECT is "Code Generation" test 1 (the file's JSON against the schema),
EXPECTEDSCHEMAVALIDATION "Code Validation" test 8 (the DCC from the CBOR: the schema and what
`kiosk.codes.dcc_semantics` finds in the content, refusals and warnings). A content rule no deployed verifier
refuses on is a warning: a file whose test-8 flag is false for such a rule only must get a valid verdict that carries
the warning (`checks["plausible"]` false), never a silent one; these files are counted and printed.

An expected flag is never replaced by what the kiosk computes. A disagreement passes only when the file itself
shows that its flag is wrong (`dcc_testdata.data_defects`: signed CBOR ≠ JSON, VALIDATIONCLOCK before iat, no
picture, a schema rule broken in every release); each is printed with its evidence, and every defect found must
show as a disagreement (a defect the kiosk "agrees" with would be a kiosk bug)."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from tests.codes.dcc_testdata import Defect, FileResult, data_defects, dcc_files, run_file

SCHEMA, OBJECT = "EXPECTEDSCHEMAVALIDATION", "EXPECTEDVALIDOBJECT"
VERIFY_FAILURES = {"invalid_signature", "unknown_issuer", "malformed"}
LAYERS = ("EXPECTEDUNPREFIX", "EXPECTEDB45DECODE", "EXPECTEDCOMPRESSION", "EXPECTEDVERIFY", "EXPECTEDKEYUSAGE",
          "EXPECTEDEXPIRATIONCHECK", SCHEMA)


def _check_end_to_end(r: FileResult, expected: dict[str, bool], defects: list[Defect]) -> list[str]:
    """The citizen-facing verdict must agree with the flags. A flag the file shows to be wrong is left out (not
    replaced); a file with such a defect is exempt from "every check passes → valid"."""
    wrong = {d.flag for d in defects}
    expect = {flag: bool(want) for flag, want in expected.items() if flag not in wrong}
    problems = []
    if expect.get("EXPECTEDVERIFY") is False and r.verdict not in VERIFY_FAILURES:
        problems.append(f"VERIFY false but verdict {r.verdict}")
    if expect.get("EXPECTEDKEYUSAGE") is False and r.verdict == "valid":
        problems.append("KEYUSAGE false but verdict valid")
    if expect.get("EXPECTEDEXPIRATIONCHECK") is False and r.verdict not in {"expired", "not_yet_valid"} | \
            VERIFY_FAILURES:
        problems.append(f"EXPIRATIONCHECK false but verdict {r.verdict}")
    for flag in (SCHEMA, OBJECT):
        warned_only = flag == SCHEMA and r.verdict == "valid" and r.warned and expect.get(OBJECT) is not False
        if expect.get(flag) is False and r.verdict not in VERIFY_FAILURES and not warned_only:
            problems.append(f"{flag} false but verdict {r.verdict}")
    if any(d.waives_verdict for d in defects):
        return problems
    if expected and all(bool(v) for v in expected.values()) and r.verdict != "valid":
        problems.append(f"every flag true but verdict {r.verdict}")
    layers_ok = all(expect.get(f, True) for f in LAYERS)
    if layers_ok and "EXPECTEDEXPIRATIONCHECK" in expect and "EXPECTEDKEYUSAGE" in expect \
            and expect.get("EXPECTEDPICTUREDECODE", True) and r.verdict != "valid":
        problems.append(f"every check expected to pass but verdict {r.verdict}")
    return problems


@pytest.mark.parametrize("decoder", ["pyzbar", "zxing"])
def test_every_dcc_test_file_matches_its_expected_flags(testdata: Path, decoder: str) -> None:
    root = testdata / "dcc"
    files = dcc_files(root)
    assert len(files) >= 390, f"expected the full DCC test data, found {len(files)} files"
    matched: collections.Counter[str] = collections.Counter()
    excused: dict[tuple[str, str], Defect] = {}
    unexplained: dict[tuple[str, str], tuple[bool, bool]] = {}
    defect_agreed: list[tuple[str, str, str]] = []
    waived: dict[str, Defect] = {}
    not_applicable: collections.Counter[tuple[str, str]] = collections.Counter()
    verdict_problems: dict[str, list[str]] = {}
    all_true = collections.Counter[str]()
    warned_valid: list[str] = []  # test-8 flag false, verdict valid with a content warning
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        expected = data["EXPECTEDRESULTS"]
        defects = data_defects(data)
        r = run_file(path, decoder)
        rel = path.relative_to(root).as_posix()
        by_flag = {d.flag: d for d in defects if d.flag is not None}
        for flag, (want, got) in r.compared.items():
            if want == got:
                matched[flag] += 1
                if flag in by_flag:
                    defect_agreed.append((rel, flag, by_flag[flag].reason))
            elif flag in by_flag:
                excused[(rel, flag)] = by_flag[flag]
            else:
                unexplained[(rel, flag)] = (want, got)
        for d in defects:
            if d.flag is None:
                waived[rel] = d
        for flag, why in r.not_applicable.items():
            not_applicable[(flag, why)] += 1
        if problems := _check_end_to_end(r, expected, defects):
            verdict_problems[rel] = problems
        if expected.get(SCHEMA) is False and r.verdict == "valid" and r.warned:
            warned_valid.append(rel)
        if expected and all(bool(v) for v in expected.values()):
            all_true[r.verdict if not any(d.waives_verdict for d in defects) else f"{r.verdict} (listed defect)"] += 1

    total = sum(matched.values())
    reasons = collections.Counter(d.reason for d in excused.values())
    print(f"\nDCC test data ({decoder}): {len(files)} files, {total} flag comparisons agree with the expected flag, "
          f"{len(excused)} excused (file, flag) pairs, {len(waived)} files exempt from the all-true verdict only")
    for flag in sorted(set(matched) | {f for _p, f in excused}):
        n_exc = sum(1 for _p, f in excused if f == flag)
        print(f"  {flag:28} {matched[flag]} agree" + (f", {n_exc} excused" if n_exc else ""))
    for reason, n in sorted(reasons.items()):
        print(f"  excused pairs, {reason}: {n}")
    print(f"  files whose expected flags are all true, by verdict: {dict(sorted(all_true.items()))}")
    print(f"  files with {SCHEMA} false accepted with a content warning (no deployed verifier refuses on it): "
          f"{len(warned_valid)}")
    for (rel, flag), d in sorted(excused.items()):
        print(f"  excused {rel} {flag}: {d.reason} — {d.evidence}")
    for rel, d in sorted(waived.items()):
        print(f"  exempt from all-true → valid: {rel}: {d.reason} — {d.evidence}")
    for (flag, why), n in sorted(not_applicable.items()):
        print(f"  not compared: {flag} in {n} files — {why}")
    assert not unexplained, f"flags not matched, and the file shows no defect: {unexplained}"
    assert not defect_agreed, f"the kiosk agrees with a flag its file shows to be wrong: {defect_agreed}"
    assert not not_applicable, "every flag present must be compared"
    assert not verdict_problems, verdict_problems
    assert total >= 3500
