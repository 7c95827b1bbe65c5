"""Search insight: searches counted per day (text and count only; no IP, no user id).

Counts are buffered per app in the process and written at most every FLUSH_INTERVAL seconds,
so a search page view rarely waits for a database write.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from finder import models
from finder.extensions import db

FLUSH_INTERVAL = 10.0
MAX_TEXT = 100


@dataclass
class _Buffer:
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter[tuple[str, bool]] = field(default_factory=Counter)
    last_write: float = field(default_factory=time.monotonic)


def _buffer() -> _Buffer:
    return current_app.extensions.setdefault("finder.insight", _Buffer())


def count_search(text: str, total: int) -> bool:
    """Count one search. True when the buffer is due to be written (see write_counts)."""
    buf = _buffer()
    with buf.lock:
        buf.counts[(text.casefold()[:MAX_TEXT], total == 0)] += 1
        return time.monotonic() - buf.last_write >= FLUSH_INTERVAL


def write_counts() -> int:
    """Add the buffered counts to today's rows (flush only; the caller commits)."""
    buf = _buffer()
    with buf.lock:
        items = list(buf.counts.items())
        buf.counts.clear()
        buf.last_write = time.monotonic()
    today = date.today()
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
    db.session.flush()
    return len(items)


@dataclass
class Week:
    start: date  # the Monday
    top: list[tuple[str, int]]  # (text, searches), most first
    zero: list[tuple[str, int]]  # (text, searches that found nothing), most first


def weekly(weeks: int = 4, limit: int = 20, today: date | None = None) -> list[Week]:
    """Top searches and zero-result searches per week, newest week first (aggregates only)."""
    today = today or date.today()
    monday = today - timedelta(days=today.weekday())
    out: list[Week] = []
    for back in range(weeks):
        start = monday - timedelta(weeks=back)
        rows = db.session.execute(
            select(models.SearchStat.text, func.sum(models.SearchStat.searches),
                   func.sum(models.SearchStat.zero_results))
            .where(models.SearchStat.day >= start, models.SearchStat.day < start + timedelta(days=7))
            .group_by(models.SearchStat.text)
        ).all()
        top = sorted(((t, int(n)) for t, n, _ in rows), key=lambda r: (-r[1], r[0]))[:limit]
        zero = sorted(((t, int(z)) for t, _, z in rows if z), key=lambda r: (-r[1], r[0]))[:limit]
        out.append(Week(start, top, zero))
    return out


def add_synonym(phrase: str, theme: str) -> models.Synonym:
    """One click from a zero-result search: the phrase now points at a theme (flush only; the
    search cache is dropped after the commit by the caller)."""
    phrase = " ".join(phrase.casefold().split())[:200]
    row = db.session.scalar(select(models.Synonym).where(models.Synonym.locale == "nl",
                                                         models.Synonym.phrase == phrase))
    if row is None:
        row = models.Synonym(locale="nl", phrase=phrase, themes=[theme], terms=[])
        db.session.add(row)
    elif theme not in row.themes:
        row.themes = [*row.themes, theme]
    db.session.flush()
    return row
