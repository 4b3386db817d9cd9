"""Reading QR codes from images: both decoders, and the retries for dim, dark-mode and small codes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.codes.imaging import decode_image, read_image_file
from tests.scanner.media import background, frame_with, qr_image

PAYLOAD = (
    "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4NN3F85QN"
    "CY0O%0VZ001HOC9JU0D0HT0HB2PL/IB*09B9LW4T*8+DCMH0LDK2%K:XFE70*LP$V25$0Q:J:4MO1P0%0L0HD+9E/HY+4J6TH48S"
    "%4K.GJ2PT3QY:GQ3TE2I+-CPHN6D7LLK*2HG%89UV-0LZ 2ZJJ524-LH/CJTK96L6SR9MU9DHGZ%P WUQRENS431T1XCNCF+47AY"
    "0-IFO0500TGPN8F5G.41Q2E4T8ALW.INSV$ 07UV5SR+BNQHNML7 /KD3TU 4V*CAT3ZGLQMI/XI%ZJNSBBXK2:UG%UJMI:TU+MM"
    "PZ5$/PMX19UE:-PSR3/$NU44CBE6DQ3D7B0FBOFX0DV2DGMB$YPF62I$60/F$Z2I6IFX21XNI-LM%3/DF/U6Z9FEOJVRLVW6K$UG"
    "+BKK57:1+D10%4K83F+1VWD1NE"
)


def test_both_decoders_read_a_plain_frame() -> None:
    frame = frame_with(qr_image(PAYLOAD))
    for decoder in ("pyzbar", "zxing"):
        r = decode_image(frame, decoder)
        assert r.payloads == (PAYLOAD,) and r.attempt == "plain", decoder


def test_dark_mode_code_needs_the_inverted_retry_with_pyzbar() -> None:
    frame = cv2.bitwise_not(frame_with(qr_image(PAYLOAD)))
    assert decode_image(frame, "pyzbar", max_retries=0).payloads == ()
    r = decode_image(frame, "pyzbar")
    assert r.payloads == (PAYLOAD,) and r.attempt in {"inverted", "otsu"}


def test_dim_low_contrast_code_is_read_after_contrast_retries() -> None:
    frame = frame_with(qr_image(PAYLOAD)).astype(np.float32)
    dim = (frame * 0.12 + 95).astype(np.uint8)  # a phone screen at minimum brightness in a bright hall
    r = decode_image(dim, "pyzbar")
    assert r.payloads == (PAYLOAD,)


def test_retry_budget_and_offset() -> None:
    frame = cv2.bitwise_not(frame_with(qr_image("KC1:SMALL"), height=300))
    # With one retry per call, successive offsets reach a retry that works within the list length.
    found = [decode_image(frame, "pyzbar", max_retries=1, retry_offset=i).payloads for i in range(4)]
    assert ("KC1:SMALL",) in found


def test_two_codes_in_one_image() -> None:
    a, b = qr_image("FIRST-CODE"), qr_image("SECOND-CODE")
    frame = background()
    frame[100:100 + a.shape[0], 100:100 + a.shape[1]] = a
    frame[100:100 + b.shape[0], 700:700 + b.shape[1]] = b
    for decoder in ("pyzbar", "zxing"):
        assert set(decode_image(frame, decoder).payloads) == {"FIRST-CODE", "SECOND-CODE"}


def test_nothing_to_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert decode_image(background(), "zxing").payloads == ()
    assert decode_image(None).payloads == ()
    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"\x89PNG garbage")
    assert read_image_file(str(bad)) is None
    with pytest.raises(ValueError):
        decode_image(background(), "magic")
