"""Checks on what editors and imports type in, shared by the forms and the spreadsheet import."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers.shortnumberinfo import is_valid_short_number

_DIALLABLE = re.compile(r"^\+?[\d\s()./\-\u2010-\u2014]+$")  # digits, spaces, brackets, dots, dashes
# National short numbers missing from libphonenumber's metadata: 113 Zelfmoordpreventie (since 2020).
_SHORT_NUMBERS = frozenset({"113"})
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")


def phone_number(text: str) -> str:
    """A Dutch (or international, with +) phone number as the editor wrote it, tidied; raises
    ValueError when it is not a number that can be called. Uses Google's libphonenumber metadata
    (phonenumberslite) rather than a hand-written pattern: Dutch numbering has 0800/0900, 085/088,
    mobile, 14+netnummer gemeente numbers and short numbers such as 112, which a regex gets wrong."""
    tidy = " ".join(text.split())
    if not _DIALLABLE.match(tidy):  # libphonenumber would read letters as a vanity number
        raise ValueError(tidy)
    if tidy in _SHORT_NUMBERS:
        return tidy
    try:
        parsed = phonenumbers.parse(tidy, "NL")
    except phonenumbers.NumberParseException as error:
        raise ValueError(tidy) from error
    if not (phonenumbers.is_valid_number(parsed) or is_valid_short_number(parsed)):
        raise ValueError(tidy)
    return tidy


def postal_code(text: str) -> str:
    """A Dutch postcode written the standard way ("1811 KH"); raises ValueError otherwise."""
    match = _POSTCODE.match(text)
    if match is None:
        raise ValueError(text)
    return f"{match.group(1)} {match.group(2).upper()}"
