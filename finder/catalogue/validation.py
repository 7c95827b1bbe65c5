"""Checks on what editors and imports type in, shared by the forms and the spreadsheet import."""

from __future__ import annotations

import phonenumbers


def phone_number(text: str) -> str:
    """A Dutch (or international, with +) phone number as the editor wrote it, tidied; raises
    ValueError when it is not a number that can be called. Uses Google's libphonenumber metadata
    (phonenumberslite) rather than a hand-written pattern: Dutch numbering has 0800/0900, 085/088,
    mobile and 14+netnummer gemeente numbers, which a regex gets wrong."""
    tidy = " ".join(text.split())
    try:
        parsed = phonenumbers.parse(tidy, "NL")
    except phonenumbers.NumberParseException as error:
        raise ValueError(tidy) from error
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(tidy)
    return tidy
