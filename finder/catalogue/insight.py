"""Search insight: searches counted per day (text and count only; no IP, no user id).

Counts are buffered in the process and written at most every FLUSH_INTERVAL seconds, so a
search page view does not wait for a database write.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import date

from sqlalchemy import select

from finder import models
from finder.extensions import db

log = logging.getLogger(__name__)
FLUSH_INTERVAL = 10.0
MAX_TEXT = 100

_lock = threading.Lock()
_buffer: Counter[tuple[str, bool]] = Counter()
_last_flush = time.monotonic()


def count_search(text: str, total: int) -> None:
    """Count one search; write the buffer when it is due."""
    global _last_flush
    key = (text.casefold()[:MAX_TEXT], total == 0)
    with _lock:
        _buffer[key] += 1
        due = time.monotonic() - _last_flush >= FLUSH_INTERVAL
    if due:
        flush()


def flush() -> None:
    """Write buffered counts in one transaction (commits: called at the edge of a request)."""
    global _last_flush
    with _lock:
        items = list(_buffer.items())
        _buffer.clear()
        _last_flush = time.monotonic()
    if not items:
        return
    today = date.today()
    try:
        for (text, zero), n in items:
            row = db.session.scalar(
                select(models.SearchStat).where(models.SearchStat.day == today, models.SearchStat.text == text)
            )
            if row is None:
                row = models.SearchStat(day=today, text=text, searches=0, zero_results=0)
                db.session.add(row)
            row.searches += n
            if zero:
                row.zero_results += n
        db.session.commit()
    except Exception:  # noqa: BLE001 - counting must never break a search
        db.session.rollback()
        log.exception("could not store search counts")
