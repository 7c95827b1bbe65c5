"""Which Dutch texts are translated, and the fingerprint that tells when a translation is stale.

A translation stores the fingerprint of the Dutch texts it was made from. When an editor
changes the Dutch, the fingerprints differ and the site shows Dutch again (with a notice) until
the translation is redone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

SERVICE_FIELDS = ("name", "summary", "how_to_get")
THEME_FIELDS = ("name", "description")
# Content is translated into these; the UI into all of finder.i18n.LANGUAGES.
SERVICE_LOCALES = ("en", "ar", "uk", "tr", "pl")
STATUSES = ("machine", "human", "reviewed")


def fingerprint(texts: Iterable[str]) -> str:
    """A short, stable hash of the Dutch texts (in field order)."""
    joined = "\x1f".join(" ".join((t or "").split()) for t in texts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
