"""The queue order rule as properties (hypothesis), over simulated time with several counters, no server."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.hub.hall.order import Waiting, choose_next

MAX_WAIT = 20 * 60.0
COUNTERS = ("1", "2", "9")  # 9 is the difficult-case window
DIFFICULT = {"9"}


@dataclass
class Called:
    ticket: Waiting
    at: float
    counter: str
    waiting_before: list[Waiting]  # the queue the rule saw
    streak_before: int


def simulate(events: list[tuple[str, str, float]], ratio: int) -> tuple[list[Called], dict[str, Waiting]]:
    """events: ("arrive", lane, dt) or ("call", counter, dt); times advance by dt seconds."""
    now, streak, seq = 0.0, 0, 0
    waiting: dict[str, Waiting] = {}
    arrived: dict[str, Waiting] = {}
    calls: list[Called] = []
    for kind, what, dt in events:
        now += dt
        if kind == "arrive":
            seq += 1
            t = Waiting(f"t{seq:04d}", what, now)
            waiting[t.ticket_id] = arrived[t.ticket_id] = t
            continue
        before = list(waiting.values())
        choice = choose_next(before, now=now, streak=streak, difficult_window=what in DIFFICULT,
                             priority_ratio=ratio, max_wait=MAX_WAIT)
        if choice is None:
            continue
        assert choice.ticket.ticket_id in waiting, "called a ticket that was not waiting"
        calls.append(Called(choice.ticket, now, what, before, streak))
        del waiting[choice.ticket.ticket_id]
        streak = choice.streak
    return calls, arrived


event = st.one_of(
    st.tuples(st.just("arrive"), st.sampled_from(["normal", "priority", "priority", "difficult"]),
              st.floats(0, 400)),
    st.tuples(st.just("call"), st.sampled_from(COUNTERS), st.floats(0, 400)))


@settings(max_examples=300, deadline=None)
@given(st.lists(event, max_size=120), st.integers(0, 4))
def test_each_ticket_once_difficult_only_at_the_window_overdue_oldest_first(events, ratio: int) -> None:
    calls, _ = simulate(events, ratio)
    ids = [c.ticket.ticket_id for c in calls]
    assert len(ids) == len(set(ids)), "a ticket was called twice"
    for c in calls:
        if c.ticket.lane == "difficult":
            assert c.counter in DIFFICULT
        general = [t for t in c.waiting_before if t.lane != "difficult"]
        window_busy = c.counter in DIFFICULT and any(t.lane == "difficult" for t in c.waiting_before)
        if c.counter in DIFFICULT and window_busy:
            assert c.ticket.lane == "difficult"
            continue
        overdue = sorted((t for t in general if c.at - t.waiting_since > MAX_WAIT),
                         key=lambda t: (t.waiting_since, t.ticket_id))
        if overdue:
            assert c.ticket == overdue[0], "an overdue ticket waited while another went first"
        elif c.ticket.lane == "priority" and any(t.lane == "normal" for t in general):
            assert c.streak_before < ratio, "more than `ratio` priority calls in a row while a normal waited"
        # Nobody is skipped within a lane: the oldest of the called ticket's lane goes first.
        same_lane = [t for t in c.waiting_before if t.lane == c.ticket.lane]
        assert c.ticket.waiting_since == min(t.waiting_since for t in same_lane)


@settings(max_examples=300, deadline=None)
@given(st.lists(event, max_size=120), st.integers(0, 4))
def test_a_normal_ticket_is_overtaken_by_at_most_ratio_per_normal_ahead(events, ratio: int) -> None:
    """Priority tickets keep coming, yet a normal ticket with k normal tickets ahead of it is passed by at most
    ratio*(k+1) priority tickets that arrived after it."""
    calls, arrived = simulate(events, ratio)
    order = {c.ticket.ticket_id: i for i, c in enumerate(calls)}
    for x in arrived.values():
        if x.lane != "normal" or x.ticket_id not in order:
            continue
        ahead = sum(1 for t in arrived.values() if t.lane == "normal" and t.waiting_since < x.waiting_since
                    and order.get(t.ticket_id, 10**9) > _arrival_index(calls, x))
        overtakers = sum(1 for c in calls[:order[x.ticket_id]]
                         if c.ticket.lane == "priority" and c.ticket.waiting_since > x.waiting_since)
        assert overtakers <= ratio * (ahead + 1)


def _arrival_index(calls: list[Called], x: Waiting) -> int:
    """Index of the first call made after x arrived (tickets called before that were not ahead of x)."""
    for i, c in enumerate(calls):
        if c.at >= x.waiting_since and any(t.ticket_id == x.ticket_id for t in c.waiting_before):
            return i
    return len(calls)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=30, max_size=150), st.integers(1, 3),
       st.integers(20, 60))
def test_no_normal_ticket_waits_beyond_the_bound_while_priority_keeps_coming(steps, ratio: int, gap: int) -> None:
    """One call every `gap` seconds (at any counter: the streak is hall-wide). Priority tickets keep coming in
    bursts (up to 3 a step while at most 6 wait); normal tickets now and then. A normal ticket with k
    normal tickets ahead of it is called within (ratio+1)*(k+1) calls, however many priority tickets come."""
    now, streak, seq = 0.0, 0, 0
    waiting: dict[str, Waiting] = {}
    normal_ahead: dict[str, int] = {}
    calls_after: dict[str, int] = {}  # ticket -> calls made since it arrived
    def arrive(lane: str) -> None:
        nonlocal seq
        seq += 1
        t = Waiting(f"t{seq:04d}", lane, now)
        if lane == "normal":
            normal_ahead[t.ticket_id] = sum(1 for w in waiting.values() if w.lane == "normal")
        waiting[t.ticket_id] = t
        calls_after[t.ticket_id] = 0
    tail = [(0, False)] * 40  # then nothing arrives and the queue empties
    for priorities, normal in steps + tail:
        for _ in range(priorities):
            if len(waiting) < 6:
                arrive("priority")
        if normal:
            arrive("normal")
        now += gap
        choice = choose_next(waiting.values(), now=now, streak=streak, difficult_window=False,
                             priority_ratio=ratio, max_wait=MAX_WAIT)
        for tid in waiting:
            calls_after[tid] += 1
        if choice is None:
            continue
        streak = choice.streak
        t = waiting.pop(choice.ticket.ticket_id)
        if t.lane == "normal":
            k = normal_ahead[t.ticket_id]
            assert calls_after[t.ticket_id] <= (ratio + 1) * (k + 1), (t, k, calls_after[t.ticket_id])
            assert now - t.waiting_since <= (ratio + 1) * (k + 1) * gap
    assert not [t for t in waiting.values() if t.lane == "normal"], "a normal ticket was never called"
