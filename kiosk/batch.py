"""Batch handling (批量办理): a signed-in volunteer or staff member submits one item for several people in a row
(e.g. pension certifications for a care home), each by card or typed ID number.

Each person is their own visit, transaction and receipt, committed as soon as they are added, so a later
problem loses nothing already done; a person who cannot be served is reported in the summary and the others
are kept. Input mistakes (a mistyped ID number, a missing phone) are raised at once for the helper to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kiosk import audit
from kiosk.authorizations import principal_from_typed_id
from kiosk.catalog.model import Catalog, Text
from kiosk.clock import CHINA_TZ, Clock, system_clock
from kiosk.identity.record import IdentityRecord
from kiosk.locale import phrase
from kiosk.messages import KioskError, Message
from kiosk.rights import Action, require
from kiosk.services import Receipt, submit_items
from kiosk.session import EndReason, Helper, Mode, Session
from kiosk.store.db import Store
from kiosk.store.outbox import new_id


@dataclass(frozen=True)
class BatchEntry:
    """One person in the batch, masked for the screen and the summary."""

    masked_name: str
    masked_id: str
    ok: bool
    receipt: Receipt | None = None
    error_kind: str | None = None
    error: Message | None = None


@dataclass(frozen=True)
class BatchSummary:
    batch_id: str
    item_code: str
    helper_id: str
    done: list[BatchEntry]
    refused: list[BatchEntry]

    @property
    def message(self) -> Message:
        return phrase("batch.done_could_not_done", count=len(self.done), count2=len(self.refused))


@dataclass
class Batch:
    store: Store
    catalog: Catalog
    helper: Helper
    item_code: str
    kiosk_id: str
    form_values: dict[str, Any] = field(default_factory=dict)  # shared by everyone (e.g. the care home's phone)
    clock: Clock = system_clock
    id: str = field(default_factory=new_id)
    entries: list[BatchEntry] = field(default_factory=list)
    finished: bool = False

    def __post_init__(self) -> None:
        require(self.helper, Action.BATCH)
        try:
            item = self.catalog.item(self.item_code)
        except KeyError:
            raise KioskError("item_unknown", phrase("batch.item_unknown"),
                             detail=self.item_code) from None
        if item.personal_only:
            raise KioskError("personal_only", phrase("batch.personal_only", name=item.name), detail=item.code)
        self._hashes: set[str] = set()
        audit.append(self.store, audit.actor_for(self.helper), "batch_start", {"batch": self.id, "item": item.code})

    # --- adding people --------------------------------------------------------------------------
    def add_card(self, record: IdentityRecord, values: dict[str, Any] | None = None) -> BatchEntry:
        """A person identified by their card; submitted at once. The record is wiped afterwards."""
        return self._add(record, values)

    def add_typed_id(self, number: str, values: dict[str, Any] | None = None) -> BatchEntry:
        """A person identified by an ID number typed on the keypad (a mistyped number is raised, not recorded)."""
        return self._add(principal_from_typed_id(number, today=self._today()), values)

    def _today(self) -> dt.date:
        return self.clock().astimezone(CHINA_TZ).date()

    def _missing(self, values: dict[str, Any]) -> list[Text]:
        return [f.label for f in self.catalog.merged_fields([self.item_code])
                if f.required and f.from_card is None and values.get(f.code) in (None, "")]

    def _add(self, record: IdentityRecord, values: dict[str, Any] | None) -> BatchEntry:
        if self.finished:
            raise KioskError("batch_finished", phrase("batch.batch_finished"))
        merged = {**self.form_values, **(values or {})}
        missing = self._missing(merged)
        if missing:
            raise KioskError("form_incomplete", phrase("batch.still_needed", fields=Message(
                "、".join(m.zh for m in missing), ", ".join(m.en for m in missing))))
        for f in self.catalog.merged_fields([self.item_code]):
            if f.from_card and getattr(record, f.from_card, None) is not None:
                merged[f.code] = getattr(record, f.from_card)
        entry = self._submit(record, merged)
        self.entries.append(entry)
        return entry

    def _refused(self, record: IdentityRecord, kind: str, message: Message) -> BatchEntry:
        return BatchEntry(record.display_name, record.display_id_number, False, None, kind, message)

    def _submit(self, record: IdentityRecord, values: dict[str, Any]) -> BatchEntry:
        key = record.id_number or record.card_number or ""
        if not key:
            return self._refused(record, "not_identified", phrase("batch.no_id_number_read"))
        digest = self.store.lookup_hash(key)
        if digest in self._hashes:
            return self._refused(record, "duplicate", phrase("batch.already_done_batch"))
        if record.id_number_valid is False:
            return self._refused(record, "invalid_id_number", phrase("batch.id_number_did_not"))
        if record.is_expired(self._today()):
            return self._refused(record, "card_expired", phrase("batch.card_has_expired"))
        if self._done_today(digest):
            return self._refused(record, "already_done_today", phrase("batch.person_already_did_today"))
        masked = (record.display_name, record.display_id_number)
        session = Session(clock=self.clock)
        try:
            session.set_mode(Mode.ASSISTED, self.helper)
            session.identify(record)
            session.select_items([self.item_code])
            receipts = submit_items(self.store, session, self.catalog, self.kiosk_id, values, batch_id=self.id)
        except KioskError as exc:
            return BatchEntry(masked[0], masked[1], False, None, exc.kind, exc.message)
        finally:
            session.end(EndReason.DONE)  # wipes the person's data from memory
        self._hashes.add(digest)
        return BatchEntry(masked[0], masked[1], True, receipts[0])

    def _done_today(self, digest: str) -> bool:
        start = dt.datetime.combine(self._today(), dt.time(), CHINA_TZ).astimezone(dt.UTC).isoformat()
        row = self.store.conn.execute("SELECT 1 FROM transactions WHERE applicant_hmac=? AND item_code=? AND "
                                      "created_at >= ? LIMIT 1", (digest, self.item_code, start)).fetchone()
        return row is not None

    # --- the end --------------------------------------------------------------------------------
    def finish(self) -> BatchSummary:
        if not self.finished:
            self.finished = True
            done = sum(1 for e in self.entries if e.ok)
            audit.append(self.store, audit.actor_for(self.helper), "batch_done",
                         {"batch": self.id, "item": self.item_code, "done": done, "refused": len(self.entries) - done})
        return BatchSummary(self.id, self.item_code, self.helper.helper_id, [e for e in self.entries if e.ok],
                            [e for e in self.entries if not e.ok])
