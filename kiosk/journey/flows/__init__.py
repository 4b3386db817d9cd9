"""The visit's flows, each a module holding its states' handlers, its own part of the visit and its views; `FLOWS`
registers them and `NAV` is their merged map (Electrum's navmap and `navmap_merge`). A new flow is a new module
and one line in `FLOWS`."""

from __future__ import annotations

from kiosk.journey.core import Flow, merge
from kiosk.journey.flows import batch, citizen, difficult, form, help, proxy, staff, ticket, visit

FLOWS: tuple[Flow, ...] = (
    visit.FLOW,
    citizen.FLOW,
    form.FLOW,
    ticket.FLOW,
    proxy.FLOW,
    staff.FLOW,
    batch.FLOW,
    difficult.FLOW,
    help.FLOW,
)
NAV = merge(*FLOWS)
