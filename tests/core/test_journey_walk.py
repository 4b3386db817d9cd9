"""A random walk over every flow of the visit (hypothesis, stateful): people, badges, taps on what the screen offers
and on what it does not, typed values, Back / Home / idle, lifted cards and device faults, with the worker's
effects run on a real store (roster with argon2 PINs). Every state change the walk takes must be declared by the
map's entry that answered the event, and drawn (`kiosk.journey.diagram`)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kiosk.catalog.loader import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.journey import (
    Back,
    CallHelp,
    CardError,
    CardInserted,
    CardRemoved,
    CodeScanned,
    DeviceStatus,
    Difficult,
    Event,
    GreenChannel,
    Home,
    Idle,
    Journey,
    JourneySettings,
    Next,
    Result,
    SignOut,
    State,
    Tap,
    Timeout,
)
from kiosk.journey.core import key_of
from kiosk.journey.diagram import edges, mermaid, returns
from kiosk.journey.machine import TABLE
from kiosk.journey.work import WORKER_KINDS, WorkContext, run
from kiosk.messages import KioskError, Message
from kiosk.store import open_store

CATALOG = load_bundled_catalog()
STAFF_BADGE, VOLUNTEER_BADGE = "04A1B2C3", "04D4E5F6"
_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # cheap hashes: the walk signs in often
ROSTER = json.dumps({"version": 1, "members": [
    {"id": "staff-1", "role": "staff", "display_name": "张三", "badge_uid": STAFF_BADGE,
     "pin_hash": _HASHER.hash("2468")},
    {"id": "vol-1", "role": "volunteer", "display_name": "李四", "badge_uid": VOLUNTEER_BADGE,
     "pin_hash": _HASHER.hash("1357")}]}).encode("utf-8")
NOW = dt.datetime(2026, 4, 27, 9, 30, tzinfo=dt.UTC)
EDGES = set(edges())
RETURNS = set(returns())


def _person(name: str, number: str, born: dt.date, until: dt.date = dt.date(2036, 1, 1)) -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=name, id_number=number, birth_date=born, valid_until=until)


CARDS = (
    lambda: _person("陈桂芳", "440106195403151232", dt.date(1954, 3, 15)),  # 72: the elderly items
    lambda: _person("林晓雯", "110105199107080025", dt.date(1991, 7, 8)),  # 35: the categories
    lambda: _person("王五", "440106195403151232", dt.date(1954, 3, 15), until=dt.date(2020, 1, 1)),  # expired
    lambda: _person("赵六", "110105199107080026", dt.date(1991, 7, 8)),  # the check digit is wrong
    lambda: IdentityRecord(CardType.BADGE, uid=STAFF_BADGE),
    lambda: IdentityRecord(CardType.BADGE, uid=VOLUNTEER_BADGE),
    lambda: IdentityRecord(CardType.BADGE, uid="04FFFFFF"),  # not on the roster
)
KEYS = ("business", "print", "elderly", "ticket", "volunteer", "staff_menu", "sign_out", "proxy", "type_id", "paper",
        "again", "skip", "phone_yes", "phone_no", "type_phone", "take", "home", "assist", "priority", "proxy_paper",
        "batch", "staff_id_check", "paper_proof", "illness", "elderly", "materials_missing", "0", "1", "nonsense")
TYPED = ("", "13800138000", "1380013", "2468", "1357", "0000", "440106195403151232", "110105199107080025",
         "20261201", "12345")
DEVICES = (("card_reader", False), ("card_reader", True), ("network", False), ("network", True),
           ("scanner", False), ("scanner", True))


class JourneyWalk(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="walk-"))
        self.store = open_store(self.dir / "data")
        self.store.cache_put("roster", ROSTER)
        self.ctx = WorkContext("k01", CATALOG)
        self.j = Journey(CATALOG, JourneySettings(kiosk_id="k01"), clock=lambda: NOW)
        self.taken: list[tuple[str, str, str]] = []
        self.shown: set[State] = {State.HOME}  # the states this visit has shown (where Back may return)
        self.token = self.j.token

    @initialize(health=st.booleans(), badges=st.booleans(), scanner=st.booleans())
    def kiosk(self, health: bool, badges: bool, scanner: bool) -> None:
        """The kiosk's configuration: a health check asked or not, badges readable or not, a code scanner or none."""
        self.j = Journey(CATALOG, JourneySettings(kiosk_id="k01", health_check_required=health, badges=badges,
                                                  code_scanner=scanner), clock=lambda: NOW)
        self.token = self.j.token

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- one event, checked --------------------------------------------------------------------------------------
    def send(self, event: Event) -> None:
        """Give the journey one event and every answer it leads to (the worker's on the real store; the printer
        prints, the hub cannot be asked), checking each state change on the way."""
        queue: list[Event] = [event]
        for _ in range(50):  # the help poll asks again and again: a bounded number of answers per step
            if not queue:
                return
            e = queue.pop(0)
            before, entry, key = self.j.state, self.j.entry(e), key_of(e)
            effects = self.j.handle(e)
            self.check(before, key, key not in TABLE.get(before, {}), entry, self.j.state)
            for eff in effects:
                queue.append(self.answer(eff))

    def answer(self, eff: Any) -> Result:
        if eff.kind in WORKER_KINDS:
            try:
                return Result(eff.kind, eff.token, run(eff, self.store, self.ctx))
            except KioskError as exc:
                return Result(eff.kind, eff.token, error=exc.message, error_kind=exc.kind)
        if eff.kind in ("print_receipt", "print_ticket"):
            return Result(eff.kind, eff.token, True)
        return Result(eff.kind, eff.token, None, error=Message("离线", "offline"))  # poll_help, wake_sync

    def check(self, before: State, key: str, everywhere: bool, entry: Any, after: State) -> None:
        if self.j.token != self.token:  # a new visit: Back returns only to what this one has shown
            self.token = self.j.token
            self.shown = {State.HOME}
        if after is not before:
            assert entry is not None, f"{before.value} --{key}--> {after.value} with no entry"
            declared = after in entry.targets or (entry.returns and after in self.shown)
            assert declared, f"{before.value} --{key}--> {after.value} is not declared"
            src = "*" if everywhere else before.value
            drawn = (src, key, after.value) in EDGES or (entry.returns and (src, key) in RETURNS)
            assert drawn, f"{before.value} --{key}--> {after.value} is not drawn"
            self.taken.append((before.value, key, after.value))
        self.shown.add(after)

    # --- what a person, a device or the clock does ---------------------------------------------------------------
    @rule(i=st.integers(0, 11))
    def tap_offered(self, i: int) -> None:
        choices = self.j.view().choices
        if choices:
            self.send(Tap(choices[i % len(choices)].key))

    @rule(picks=st.lists(st.integers(0, 11), min_size=1, max_size=8), staff=st.booleans())
    def follow(self, picks: list[int], staff: bool) -> None:
        """Several steps of what each screen asks for: its keypad's kind of value then Next, else one of its tiles
        (now and then Next instead, where there is one), else Next."""
        for i in picks:
            v = self.j.view()
            kp = v.keypad
            if kp is not None:
                value = ("2468" if staff else "1357") if kp.secret else "440106195403151232" if kp.allow_x else \
                    "13800138000" if kp.max_length in (11, 12) else "20261201" if kp.max_length == 8 else "1234"
                self.send(Next(value))
            elif v.choices and (v.next is None or i % 3):
                self.send(Tap(v.choices[i % len(v.choices)].key))
            else:
                self.send(Next(""))

    @rule(staff=st.booleans())
    def sign_in(self, staff: bool) -> None:
        """A helper's badge on the reader at the home screen, then the PIN."""
        self.send(CardInserted(IdentityRecord(CardType.BADGE, uid=STAFF_BADGE if staff else VOLUNTEER_BADGE)))
        self.send(Next("2468" if staff else "1357"))

    @rule(key=st.sampled_from(KEYS))
    def tap_any(self, key: str) -> None:
        self.send(Tap(key))

    @rule(value=st.sampled_from(TYPED))
    def next(self, value: str) -> None:
        self.send(Next(value))

    @rule(card=st.sampled_from(CARDS))
    def card(self, card: Any) -> None:
        self.send(CardInserted(card()))

    @rule(event=st.sampled_from((CardRemoved(), Back(), Home(), CallHelp(), Difficult(), GreenChannel(), SignOut(),
                                 Idle(), Timeout(), CardError(Message("读卡失败", "card read failed")),
                                 CodeScanned("HC1:not-a-code"))))
    def other(self, event: Event) -> None:
        self.send(event)

    @rule(device=st.sampled_from(DEVICES))
    def device(self, device: tuple[str, bool]) -> None:
        self.send(DeviceStatus(device[0], device[1], None if device[1] else Message("故障", "fault")))

    @invariant()
    def the_view_builds(self) -> None:
        v = self.j.view()
        assert v.state == self.j.state.value and v.screen == self.j.screen


JourneyWalk.TestCase.settings = settings(max_examples=30, stateful_step_count=50)
test_journey_walk = JourneyWalk.TestCase


def test_the_drawing_marks_the_entries_that_return() -> None:
    """Back returns along the history: drawn as a note, since its target is wherever the visit came from."""
    assert ("*", "back") in RETURNS
    assert "%% any_state back:" in mermaid()


def test_the_two_help_transitions_once_missing_are_drawn() -> None:
    assert ("proxy_code", "tap", "help") in EDGES and ("proxy_paper", "tap", "help") in EDGES
