"""Search infrastructure (Whoosh), behind one module so the engine can change.

init_app opens the index of SEARCH_INDEX_DIR and registers the commit listeners. Views never
import this package: they go through finder.catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from finder.search import sync
from finder.search.index import IndexUnavailable, SearchIndex, SearchResult, snippet
from finder.search.query import SearchQuery, SynonymTable, normalise

DocumentSource = Callable[[Any, Iterable[str]], tuple[list[dict[str, Any]], list[str]]]

__all__ = [
    "IndexUnavailable",
    "SearchIndex",
    "SearchQuery",
    "SearchResult",
    "SynonymTable",
    "current_index",
    "init_app",
    "normalise",
    "snippet",
]


def init_app(app: Flask, documents_for: DocumentSource) -> None:
    """Open the index and follow commits; `documents_for(session, ids)` returns the documents
    to write and the ids to delete for changed services."""
    app.extensions["finder.search"] = SearchIndex(Path(app.config["SEARCH_INDEX_DIR"]))
    app.extensions["finder.search.documents"] = documents_for
    sync.register()


def current_index() -> SearchIndex:
    """The index opened by init_app for the current app."""
    return current_app.extensions["finder.search"]
