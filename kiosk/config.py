"""Kiosk settings: one TOML file validated into typed settings (pydantic). A bad file is refused, never guessed.

Lookup order: `--config PATH`, then `KIOSK_CONFIG`, then the platformdirs default; a missing file means
defaults (no devices, no hub: nothing simulated outside `kiosk demo`), a present but invalid file is an error
naming the key and the reason.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.locale import phrase
from kiosk.messages import KioskError
from kiosk.paths import default_config_path, default_data_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CardReaderConfig(_Strict):
    # "none" unless set: a kiosk started with a forgotten config must not read demo cards (`kiosk demo` starts
    # its own simulated devices whatever this says).
    driver: Literal["sam", "pcsc", "simulated", "none"] = "none"
    port: str | None = None  # serial port for SAM readers
    baud: Annotated[int, Field(gt=0)] = 115200
    reader: str | None = None  # PC/SC reader name (substring); None = any
    simulated_file: Path | None = None


class ScannerConfig(_Strict):
    driver: Literal["camera", "serial", "wedge", "simulated", "none"] = "none"  # as the card reader
    camera: str | int = 0  # device index or path (a video file works too)
    port: str | None = None
    baud: Annotated[int, Field(gt=0)] = 9600
    # zxing-cpp reads 99 % of the damaged benchmark set vs 87 % for pyzbar, within one 30 fps frame
    # (tests/bench/test_bench_codes_*); pyzbar stays selectable.
    decoder: Literal["pyzbar", "zxing"] = "zxing"
    simulated_file: Path | None = None


class PrinterConfig(_Strict):
    name: str | None = None  # system (CUPS) printer; None = default printer
    pdf_dir: Path | None = None  # print to PDF files here instead (tests, demo)


class TimeoutsConfig(_Strict):
    idle_seconds: Annotated[int, Field(ge=10, le=3600)] = 60
    idle_warning_seconds: Annotated[int, Field(ge=20, le=300)] = 20
    done_return_seconds: Annotated[int, Field(ge=5, le=300)] = 20


class SyncConfig(_Strict):
    batch_size: Annotated[int, Field(ge=1, le=1000)] = 50
    backoff_base_seconds: Annotated[float, Field(gt=0)] = 1.0
    backoff_cap_seconds: Annotated[float, Field(gt=0)] = 300.0
    request_timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    heartbeat_seconds: Annotated[float, Field(gt=0)] = 180.0
    pull_seconds: Annotated[float, Field(gt=0)] = 600.0


class CodesConfig(_Strict):
    trust_list_max_age_hours: Annotated[float, Field(gt=0)] = 72.0
    clock_skew_seconds: Annotated[int, Field(ge=0, le=3600)] = 300
    trust_list_file: Path | None = None


class UiConfig(_Strict):
    language: Literal["zh_CN", "en"] = "zh_CN"
    voice: bool = True
    cantonese: bool = True
    # pydantic checks float literals exactly; PEP 586 (so mypy) allows no float in Literal.
    text_scale: Literal[1.0, 1.25, 1.5] = 1.0  # type: ignore[valid-type]
    orientation: Literal["landscape", "portrait"] = "landscape"
    panel_diagonal_inches: Annotated[float, Field(gt=5, le=100)] | None = 21.5
    dpi: Annotated[float, Field(gt=50, le=600)] | None = None
    health_check_required: bool = False


class TicketsConfig(_Strict):
    # Queue numbers are unique in the hall even offline: the 4-digit space of each lane is split into `slots`
    # blocks and this kiosk draws from block `slot` only (see kiosk/tickets.py). Each kiosk of a hall needs
    # its own slot: the hub gives one (`kiosk-hub kiosk add NAME --hall HALL`, pulled and kept); set here, it
    # wins. With slots = 10 the first digit of a number is the kiosk's slot.
    slot: Annotated[int, Field(ge=0, le=99)] = 0
    slots: Annotated[int, Field(ge=1, le=100)] = 10

    @model_validator(mode="after")
    def _slot_in_range(self) -> TicketsConfig:
        if self.slot >= self.slots:
            raise ValueError(f"slot {self.slot} must be below slots {self.slots}")
        return self


# Kinds a code can have at the health check (kiosk/codes/health_check.py): EU DCC by certificate type, an online
# code the hub verified, hub-signed kiosk codes (an e-certificate by its cert_type).
HEALTH_KIND = (r"^(dcc_(vaccination|test|recovery)|online|kiosk_(proxy_grant|appointment)"
               r"|kiosk_certificate:[A-Za-z0-9_.-]+)$")


class HallConfig(_Strict):
    # Where the help desk is, said on the kiosk while a volunteer is called and when the help station is offline.
    help_desk_location_zh: str = "大厅入口旁"
    help_desk_location_en: str = "by the hall entrance"


class HealthCheckConfig(_Strict):
    # A code passes the health check only if its kind is listed here (and it verifies, is unexpired and is the
    # identified person's); anything else is refused with the alternatives (staff check the ID card, paper proof).
    accepted_kinds: list[Annotated[str, Field(pattern=HEALTH_KIND)]] = ["online", "dcc_vaccination", "dcc_test",
                                                                        "dcc_recovery"]


class KioskConfig(_Strict):
    kiosk_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")] = "demo-kiosk-01"
    display_name: str = "自助终端 Self-service kiosk"  # the demo calls itself a demo; a real kiosk never does
    hall_id: Annotated[str, Field(min_length=1, max_length=64)] = "demo-hall"
    hub_url: str | None = None  # None = offline only (demo starts an embedded hub)
    ca_bundle: Path | None = None
    token_file: Path | None = None
    data_dir: Path = Field(default_factory=default_data_dir)
    elderly_age: Annotated[int, Field(ge=50, le=100)] = 60
    card_reader: CardReaderConfig = CardReaderConfig()
    scanner: ScannerConfig = ScannerConfig()
    printer: PrinterConfig = PrinterConfig()
    timeouts: TimeoutsConfig = TimeoutsConfig()
    sync: SyncConfig = SyncConfig()
    codes: CodesConfig = CodesConfig()
    ui: UiConfig = UiConfig()
    tickets: TicketsConfig = TicketsConfig()
    health_check: HealthCheckConfig = HealthCheckConfig()
    hall: HallConfig = HallConfig()

    @field_validator("hub_url")
    @classmethod
    def _https_or_loopback(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if not (v.startswith("https://") or v.startswith("http://127.0.0.1") or v.startswith("http://localhost")):
            raise ValueError("must be https:// (plain http only for 127.0.0.1/localhost)")
        return v.rstrip("/")

    def redacted(self) -> dict[str, Any]:
        """Settings for display: secrets (token file contents never loaded here) and paths kept as strings."""
        data = self.model_dump(mode="json")
        if data.get("token_file"):
            data["token_file"] = str(data["token_file"]) + " (contents hidden)"
        return data


def _error_from_validation(path: Path, exc: ValidationError) -> KioskError:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(file)"
    reason = first["msg"]
    return KioskError(
        "config_invalid",
        phrase("config.config_invalid", path=path, key=key, reason=reason),
        detail=f"{key}: {reason}",
    )


def load_config(path: Path | str | None = None) -> KioskConfig:
    """Load and validate; `path=None` uses KIOSK_CONFIG or the default location (missing → defaults)."""
    explicit = path is not None
    cfg_path = Path(path) if path is not None else default_config_path()
    if not cfg_path.exists():
        if explicit:
            raise KioskError("config_missing",
                             phrase("config.config_missing", cfg_path=cfg_path))
        return KioskConfig()
    try:
        raw = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KioskError("config_invalid", phrase("config.config_not_toml", cfg_path=cfg_path, exc=exc)) from None
    try:
        cfg = KioskConfig.model_validate(raw)
    except ValidationError as exc:
        raise _error_from_validation(cfg_path, exc) from None
    # Relative paths in the file are relative to the file, not to wherever the kiosk was started.
    base = cfg_path.parent
    updates: dict[str, Any] = {}
    for key in ("data_dir", "ca_bundle", "token_file"):
        value = getattr(cfg, key)
        if isinstance(value, Path) and not value.is_absolute():
            updates[key] = base / value
    return cfg.model_copy(update=updates) if updates else cfg
