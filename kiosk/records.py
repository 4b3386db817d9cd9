"""The record vocabulary kiosks send and the hub accepts: ticket, help request, difficult case, heartbeat,
transaction, as pydantic models (ids are UUIDs by type, ticket numbers are short codes of the ticket alphabet).

Only the hub and the tests import this module (pydantic stays off the kiosk's start-up path); the kiosk's own
builders (`kiosk.tickets`, `kiosk.services`, `kiosk.difficult`, `sync.worker`) are tested against it.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from kiosk.tickets import LANE_LETTERS, LANES

# Every character a ticket number may hold: the lane letters and digits (see kiosk/tickets.py).
TICKET_ALPHABET = "".join(sorted(set(LANE_LETTERS.values()))) + "0123456789"
TicketNumber = Annotated[str, StringConstraints(pattern=rf"\A[{TICKET_ALPHABET}]{{1,5}}\Z")]
Lane = Literal["normal", "priority", "difficult"]
assert set(LANES) == {"normal", "priority", "difficult"}
KioskId = Annotated[str, StringConstraints(pattern=r"\A[A-Za-z0-9_.-]{1,64}\Z")]
Code = Annotated[str, StringConstraints(pattern=r"\A[A-Za-z0-9_.:-]{1,64}\Z")]
ShortText = Annotated[str, StringConstraints(max_length=120)]


class _Record(BaseModel):
    # Newer kiosks may send more fields than this hub knows: kept in the sealed body, never shown.
    model_config = ConfigDict(extra="allow", frozen=True, regex_engine="python-re")

    kiosk_id: KioskId
    created_at: AwareDatetime


class TicketRecord(_Record):
    ticket_id: uuid.UUID
    number: TicketNumber
    lane: Lane = "normal"
    day: str | None = None
    elderly: bool = False
    service_code: Code | None = None
    helper_id: Code | None = None


class HelpRequestRecord(_Record):
    help_request_id: uuid.UUID
    kind: Literal["help_request", "difficult_case"] = "help_request"
    elderly: bool = False
    priority: bool = False
    screen: Annotated[str, StringConstraints(pattern=r"\A[A-Za-z0-9_.-]{0,64}\Z")] = ""
    item_code: Code | None = None
    session_id: uuid.UUID | None = None
    helper_id: Code | None = None
    reason: Annotated[str, StringConstraints(pattern=r"\A[a-z_]{1,32}\Z")] | None = None


class ReasonLabel(BaseModel):
    model_config = ConfigDict(regex_engine="python-re")
    zh: ShortText
    en: ShortText


class DifficultCaseRecord(_Record):
    """A full case (kiosk.difficult.open_case, with its ticket) or a bare one (kiosk.services.request_help)."""

    case_id: uuid.UUID | None = None
    help_request_id: uuid.UUID | None = None
    elderly: bool = False
    priority: bool = False
    item_code: Code | None = None
    step: Code | None = None
    reason: Annotated[str, StringConstraints(pattern=r"\A[a-z_]{1,32}\Z")] | None = None
    reason_label: ReasonLabel | None = None
    ticket_id: uuid.UUID | None = None
    number: TicketNumber | None = None
    lane: Lane | None = None
    helper_id: Code | None = None
    session_id: uuid.UUID | None = None

    @property
    def id(self) -> uuid.UUID:
        found = self.case_id or self.help_request_id
        if found is None:  # checked by `validate_body`
            raise ValueError("case_id")
        return found


class TransactionRecord(_Record):
    transaction_id: uuid.UUID
    receipt_no: Annotated[str, StringConstraints(pattern=r"\A[A-Za-z0-9_.-]{1,80}\Z")]
    item_code: Code
    session_id: uuid.UUID | None = None
    helper_id: Code | None = None
    batch_id: uuid.UUID | None = None


class OutboxState(BaseModel):
    pending: int | None = Field(default=None, ge=0)
    oldest_age_s: float | None = Field(default=None, ge=0)
    rejected: int | None = Field(default=None, ge=0)


class DeviceState(BaseModel):
    model_config = ConfigDict(extra="allow", regex_engine="python-re")
    state: Annotated[str, StringConstraints(max_length=32)] | None = None
    message: Annotated[str, StringConstraints(max_length=200)] | None = None


class HeartbeatRecord(BaseModel):
    """A kiosk's heartbeat; `sent_at` (the kiosk's clock when sending) lets the hub measure its clock offset."""

    model_config = ConfigDict(extra="allow", regex_engine="python-re")

    version: Annotated[str, StringConstraints(max_length=40)] | None = None
    uptime_s: float | None = Field(default=None, ge=0)
    heartbeat_every_s: float | None = Field(default=None, gt=0)
    outbox: OutboxState = OutboxState()
    devices: dict[Annotated[str, StringConstraints(pattern=r"\A[A-Za-z0-9_.-]{1,40}\Z")], DeviceState] = {}
    doctor: dict[str, Any] | None = None
    sent_at: AwareDatetime | None = None


MODELS: dict[str, type[BaseModel]] = {
    "ticket": TicketRecord, "help_request": HelpRequestRecord, "difficult_case": DifficultCaseRecord,
    "transaction": TransactionRecord,
}


class RecordError(ValueError):
    """A body that does not fit its record type: `field` names the first field at fault (dotted path)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


def _first_error(exc: ValidationError, prefix: str) -> RecordError:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "body"
    return RecordError(f"{prefix}.{where}" if prefix else where, str(err.get("msg", "invalid")))


def validate_body(kind: str, body: Any) -> BaseModel | None:
    """The typed record for `kind` (None for kinds without a model here); RecordError names the bad field."""
    model = MODELS.get(kind)
    if model is None:
        return None
    try:
        record = model.model_validate(body)
    except ValidationError as exc:
        raise _first_error(exc, "body") from None
    if isinstance(record, DifficultCaseRecord) and record.case_id is None and record.help_request_id is None:
        raise RecordError("body.case_id", "Field required")
    return record


def validate_heartbeat(body: Any) -> HeartbeatRecord:
    try:
        return HeartbeatRecord.model_validate(body)
    except ValidationError as exc:
        raise _first_error(exc, "") from None
