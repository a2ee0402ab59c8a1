"""Finnish payment and business identifiers: pure functions, no Django needed.

* Reference number (viitenumero, "kotimainen viite"): 3–19 digits of base plus one check
  digit computed with the repeating weights 7, 3, 1 from the right. Printed on invoices in
  groups of five digits counted from the right ("12 34561").
* RF creditor reference (ISO 11649): ``RF`` + two check digits (ISO 7064 MOD 97-10) + the
  national reference; printed in groups of four from the left ("RF11 1232").
* Business ID (Y-tunnus): seven digits, a hyphen and a check digit computed modulo 11 with
  the weights 7, 9, 10, 5, 8, 4, 2 ("0112038-9").

Functions that build identifiers raise ``ValueError`` on malformed input; the ``is_valid_*``
functions never raise. Whitespace between digit groups is accepted on input everywhere.
"""

from __future__ import annotations

import re

__all__ = [
    "business_id_check_digit",
    "compact_reference",
    "format_reference",
    "format_rf_reference",
    "is_valid_business_id",
    "is_valid_reference",
    "is_valid_rf_reference",
    "reference_check_digit",
    "reference_number",
    "rf_reference",
]

_REFERENCE_WEIGHTS = (7, 3, 1)
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_BUSINESS_ID_RE = re.compile(r"^([0-9]{7})-([0-9])$")
_RF_RE = re.compile(r"^RF([0-9]{2})([0-9A-Z]{1,21})$")
_ALNUM_RE = re.compile(r"^[0-9A-Z]{1,21}$")
_WHITESPACE = re.compile(r"\s+")


def _strip_spaces(value: str) -> str:
    return _WHITESPACE.sub("", value)


# --- Finnish reference number (viitenumero) ----------------------------------------------


def reference_check_digit(base: str) -> int:
    """The 7-3-1 check digit for a reference base of 3–19 digits (spaces allowed)."""
    digits = _strip_spaces(base)
    if not digits.isascii() or not digits.isdigit() or not 3 <= len(digits) <= 19:
        raise ValueError("A reference number base is 3 to 19 digits.")
    total = sum(int(d) * _REFERENCE_WEIGHTS[i % 3] for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def format_reference(reference: str) -> str:
    """Group a reference number in fives from the right, as printed on invoices."""
    digits = _strip_spaces(reference)
    head = len(digits) % 5
    groups = [digits[:head]] if head else []
    groups += [digits[i : i + 5] for i in range(head, len(digits), 5)]
    return " ".join(groups)


def compact_reference(reference: str) -> str:
    """The machine form of a reference: its digits without spaces."""
    return _strip_spaces(reference)


def reference_number(base: str, *, grouped: bool = True) -> str:
    """A complete reference number: ``base`` followed by its check digit.

    By default the result is grouped in fives from the right as printed on invoices
    (``reference_number("123456") == "12 34561"``); pass ``grouped=False`` for the compact
    form that payment services and bank files take.
    """
    digits = _strip_spaces(base)
    reference = f"{digits}{reference_check_digit(digits)}"
    return format_reference(reference) if grouped else reference


def is_valid_reference(value: str) -> bool:
    """True for a 4–20 digit reference number whose last digit is its 7-3-1 check digit."""
    digits = _strip_spaces(value)
    if not digits.isascii() or not digits.isdigit() or not 4 <= len(digits) <= 20:
        return False
    return reference_check_digit(digits[:-1]) == int(digits[-1])


# --- RF creditor reference (ISO 11649) -----------------------------------------------------


def _iso7064_mod97(value: str) -> int:
    """Letters become two-digit numbers (A=10 … Z=35), then the whole number modulo 97."""
    return int("".join(str(int(c, 36)) for c in value)) % 97


def format_rf_reference(value: str) -> str:
    """Group an RF reference in fours from the left (``RF11 1232``)."""
    compact = _strip_spaces(value).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def rf_reference(reference: str, *, grouped: bool = True) -> str:
    """The RF creditor reference that carries ``reference`` (1–21 letters or digits).

    A Finnish reference number is carried as it is, check digit included:
    ``rf_reference("1232") == "RF11 1232"``.
    """
    body = _strip_spaces(reference).upper()
    if not _ALNUM_RE.match(body):
        raise ValueError("An RF reference carries 1 to 21 letters (A–Z) or digits.")
    check = 98 - _iso7064_mod97(f"{body}RF00")
    result = f"RF{check:02d}{body}"
    return format_rf_reference(result) if grouped else result


def is_valid_rf_reference(value: str) -> bool:
    """True for a well-formed RF creditor reference whose check digits are right."""
    compact = _strip_spaces(value).upper()
    match = _RF_RE.match(compact)
    if not match or not 2 <= int(match.group(1)) <= 98:  # ISO 11649 check digits are 02–98
        return False
    return _iso7064_mod97(f"{match.group(2)}RF{match.group(1)}") == 1


# --- Business ID (Y-tunnus) ----------------------------------------------------------------


def business_id_check_digit(base: str) -> int | None:
    """The check digit for the seven-digit base of a business ID, or None when none exists.

    Remainder 0 gives check digit 0, remainder 1 is never issued (None), otherwise 11 - r.
    """
    if len(base) != 7 or not base.isascii() or not base.isdigit():
        raise ValueError("A business ID base is exactly seven digits.")
    remainder = sum(int(d) * w for d, w in zip(base, _BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_valid_business_id(value: str) -> bool:
    """True for a business ID written ``NNNNNNN-C`` with the right check digit."""
    match = _BUSINESS_ID_RE.match(value.strip())
    if not match:
        return False
    return business_id_check_digit(match.group(1)) == int(match.group(2))
