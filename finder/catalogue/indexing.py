"""Keeping the derived search index in step with the database."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from finder import models
from finder.catalogue.translated import index_texts
from finder.extensions import db
from finder.search import current_index
from finder.search.schema import document_for

log = logging.getLogger(__name__)
CATCH_UP_INTERVAL = 1.0  # seconds between change-log checks per process
_BATCH = 500


def _load_options() -> list[Any]:
    return [
        selectinload(models.Service.attributes).selectinload(models.Attribute.taxonomy_term),
        selectinload(models.Service.service_areas),
        selectinload(models.Service.languages),
        selectinload(models.Service.service_at_locations).selectinload(models.ServiceAtLocation.location),
        selectinload(models.Service.organization),
    ]


def _gemeenten(session: Session) -> dict[str, str]:
    return dict(session.execute(select(models.Gemeente.slug, models.Gemeente.region)).all())


def documents_for_ids(session: Session, ids: Iterable[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Documents of the published services among `ids`, and the ids to remove from the index."""
    ids = sorted(set(ids))
    gemeenten = _gemeenten(session)
    upserts: list[dict[str, Any]] = []
    published: set[str] = set()
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        rows = session.scalars(
            select(models.Service).where(models.Service.id.in_(chunk)).options(*_load_options())
        ).all()
        live = [service for service in rows if service.published]
        texts = index_texts(session, live)
        for service in live:
            upserts.append(document_for(service, gemeenten, texts.get(service.id)))
            published.add(service.id)
    return upserts, [i for i in ids if i not in published]


def all_documents(session: Session) -> Iterator[dict[str, Any]]:
    gemeenten = _gemeenten(session)
    stmt = (
        select(models.Service)
        .where(models.Service.status == "gepubliceerd")
        .order_by(models.Service.id)
        .options(*_load_options())
        .execution_options(yield_per=_BATCH)
    )
    for chunk in session.scalars(stmt).partitions(_BATCH):
        texts = index_texts(session, list(chunk))  # one query per batch, not per service
        for service in chunk:
            yield document_for(service, gemeenten, texts.get(service.id))


def last_seq(session: Session) -> int:
    return session.scalar(select(func.max(models.ChangeLog.seq))) or 0


def rebuild_index() -> int:
    """Rebuild the whole index from the database; readers switch over atomically."""
    session = db.session
    seq = last_seq(session)  # read first: changes made during the rebuild are caught up later
    return current_index().rebuild(all_documents(session), seq)


def catch_up() -> int:
    """Apply change-log entries this node has not applied yet (other nodes' changes)."""
    index = current_index()
    applied = index.applied_seq()
    rows = db.session.execute(
        select(models.ChangeLog.seq, models.ChangeLog.entity_id)
        .where(models.ChangeLog.seq > applied)
        .order_by(models.ChangeLog.seq)
        .limit(5000)
    ).all()
    if not rows:
        return 0
    upserts, deletes = documents_for_ids(db.session, {r.entity_id for r in rows})
    index.apply(upserts, deletes, rows[-1].seq)
    return len(rows)


def published_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(models.Service).where(models.Service.status == "gepubliceerd")
    ) or 0


class IndexKeeper:
    """Per process: rebuild a missing or broken index in the background at start-up, and
    catch up from the change log at most once per CATCH_UP_INTERVAL."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.rebuilding = threading.Event()
        self._last_check = 0.0
        self._lock = threading.Lock()

    def ensure(self) -> None:
        index = self.app.extensions["finder.search"]
        if index.healthy() or self.rebuilding.is_set():
            return
        self.rebuilding.set()

        def work() -> None:
            try:
                with self.app.app_context():
                    count = rebuild_index()
                    log.warning("search index was missing or broken; rebuilt with %d documents", count)
            except Exception:
                log.exception("search index rebuild failed")
            finally:
                self.rebuilding.clear()

        threading.Thread(target=work, name="index-rebuild", daemon=True).start()

    def maybe_catch_up(self) -> None:
        now = time.monotonic()
        if now - self._last_check < CATCH_UP_INTERVAL or self.rebuilding.is_set():
            return
        with self._lock:
            if now - self._last_check < CATCH_UP_INTERVAL:
                return
            self._last_check = now
        try:
            catch_up()
        except Exception:
            log.exception("catching up the search index failed")
            self.ensure()
        finally:
            db.session.rollback()  # end the read transaction without touching the index
