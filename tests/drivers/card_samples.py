"""Fictional card holders used by the reader tests and benchmarks (well-formed GB 11643 numbers, no real people)."""

from __future__ import annotations

import datetime as dt

from kiosk.identity.record import LONG_TERM, CardType, IdentityRecord, Sex

RESIDENT = IdentityRecord(
    CardType.RESIDENT, name="陈桂芳", sex=Sex.MALE, ethnicity="汉", birth_date=dt.date(1954, 3, 15),
    address="广东省广州市天河区示例路1号", id_number="440106195403151232", issuer="广州市公安局天河分局",
    valid_from=dt.date(2014, 3, 20), valid_until=LONG_TERM)
PERMIT = IdentityRecord(
    CardType.HK_MACAO_TAIWAN_PERMIT, name="黄家明", sex=Sex.MALE, birth_date=dt.date(1988, 2, 12),
    address="广东省广州市越秀区样例大道20号", id_number="810000198802120037", issuer="广州市公安局越秀分局",
    valid_from=dt.date(2022, 5, 10), valid_until=dt.date(2027, 5, 10), pass_number="H01234567", issue_count=1)
FOREIGN_2017 = IdentityRecord(
    CardType.FOREIGN_PERMANENT_RESIDENT, name_en="SMITH JOHN DEMO", sex=Sex.MALE, card_number="USA440080050611",
    nationality="USA", name="史密斯", valid_from=dt.date(2019, 6, 1), valid_until=dt.date(2029, 6, 1),
    birth_date=dt.date(1980, 5, 6))
FOREIGN_2023 = IdentityRecord(
    CardType.FOREIGN_PERMANENT_RESIDENT, name="史密斯", sex=Sex.FEMALE, issue_count=2,
    birth_date=dt.date(1980, 5, 6), name_en="VANDERBILT-MONTGOMERYS ALEXANDRA CATHERINE",
    id_number="944840198005060112", valid_from=dt.date(2023, 12, 1), valid_until=dt.date(2033, 12, 1),
    nationality="USA")
