"""Rendered search pages, kept in process for questions that are asked again and again.

Most searches are the same few questions ("scheiding", "schulden", "jongerenwerk" in a
gemeente). Rendering one costs ~10 ms of CPU; handing out a kept copy costs ~0.1 ms. A copy is
only used while everything the page was made from is unchanged, so it is never stale:

- the URL (path and parameters) and the language;
- the search index state: every commit that changes a published service changes it, so a change
  is visible on the next request, as without the cache;
- the versions of the vocabulary (filter labels, places) and of the synonym table.

Only 200 pages of the normal (not degraded) search are kept. Anything a search page shows that
depends on the visitor (a cookie, a session value) must become part of `key()` first: today the
shortlist cookie. Search pages hold no CSRF token (their only POST forms, the shortlist's, use
an origin check instead), so a kept page is safe to hand to anyone with the same key.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_babel import get_locale

from finder.catalogue import queries, shortlist
from finder.catalogue import search as catalogue_search
from finder.search import IndexUnavailable, current_index


@dataclass(frozen=True)
class Page:
    body: str
    status: int
    text: str  # the normalised question, for search insight
    total: int
    stored: float


class PageCache:
    def __init__(self, size: int, max_age: float) -> None:
        self.size = size
        self.max_age = max_age
        self._pages: OrderedDict[Any, Page] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if time.monotonic() - page.stored > self.max_age:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: Any, body: str, status: int, text: str, total: int) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._pages[key] = Page(body, status, text, total, time.monotonic())
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def key() -> Any | None:
    """What the current search page depends on; None when it must not be cached."""
    if current_app.config["SEARCH_PAGE_CACHE_SIZE"] <= 0:
        return None
    try:
        state = current_index().state_token()
    except IndexUnavailable:
        return None
    return (
        request.full_path,
        str(get_locale()),
        request.cookies.get(shortlist.COOKIE, ""),  # the "on my list" buttons differ per list
        state,
        queries.vocabulary_stamp(),
        catalogue_search.synonyms_stamp(),
    )


def cache() -> PageCache:
    found = current_app.extensions.get("finder.pagecache")
    if found is None:
        found = PageCache(current_app.config["SEARCH_PAGE_CACHE_SIZE"], current_app.config["SEARCH_PAGE_CACHE_SECONDS"])
        current_app.extensions["finder.pagecache"] = found
    return found
