"""Display masking of personal data shown on screens, receipts and staff views."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keep the first character (the surname for most Chinese names), mask the rest: 张三丰 → 张**."""
    name = name.strip()
    if not name:
        return ""
    if " " in name:  # Latin names: initial of each word
        return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split() if part)
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    """Mainland mobile numbers keep 3 + 4 digits: 138****5678; anything short is fully masked."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_address(address: str) -> str:
    """Keep the first 6 characters (province/city/district level), mask the rest."""
    address = address.strip()
    return address[:6] + "*" * min(8, max(0, len(address) - 6))
