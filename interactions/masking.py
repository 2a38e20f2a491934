"""Masking of personal data in lists and exports (product.md: "Personal data")."""

import re


def mask_phone(phone: str) -> str:
    """010-1234-5678 -> 010-****-5678: the first and last groups of digits stay."""
    if not phone:
        return ""
    groups = re.findall(r"\d+", phone)
    if len(groups) >= 3:
        return "-".join([groups[0], *("*" * len(g) for g in groups[1:-1]), groups[-1]])
    digits = "".join(groups)
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) <= 7:
        return "*" * (len(digits) - 4) + digits[-4:]
    return f"{digits[:3]}-{'*' * (len(digits) - 7)}-{digits[-4:]}"


def mask_email(email: str) -> str:
    """kim@example.com -> k***@example.com."""
    if not email:
        return ""
    if "@" not in email:
        return "***"
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}"


def mask_contact(value: str) -> str:
    """The audit trail's mask (django-auditlog ``mask_callable``, interactions/apps.py):
    an e-mail address as mask_email, anything else as a phone number. auditlog hands over
    "None" for an empty nullable value; it stays empty."""
    if not value or value == "None":
        return ""
    return mask_email(value) if "@" in value else mask_phone(value)
