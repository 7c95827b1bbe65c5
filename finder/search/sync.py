"""The index follows the database: the one place where index writes are triggered.

- after_flush: note which services changed (ids only), in session.info.
- before_commit: flush, write one ChangeLog row per changed service (same transaction, so other
  nodes can catch up), and build the documents to write while the ORM objects are at hand.
- after_commit: write those plain documents to Whoosh. No ORM access here.
- after_rollback: forget everything noted, so a rolled-back change never reaches the index.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from finder import models

log = logging.getLogger(__name__)

_KEY = "finder.search.changed"
_PENDING = "finder.search.pending"
_CHILD_TYPES = (
    models.Phone,
    models.Schedule,
    models.ServiceArea,
    models.Language,
    models.CostOption,
    models.Contact,
    models.ServiceAtLocation,
)


def _enabled() -> bool:
    return has_app_context() and current_app.config.get("SEARCH_SYNC_ENABLED", True) and (
        "finder.search.documents" in current_app.extensions
    )


def changed_service_ids(session: Any, objects: Any) -> set[str]:
    """Service ids touched by these objects (a service, one of its parts, its organisation)."""
    ids: set[str] = set()
    org_ids: set[str] = set()
    location_ids: set[str] = set()
    theme_ids: set[str] = set()
    for obj in objects:
        if isinstance(obj, models.Service):
            ids.add(obj.id)
        elif isinstance(obj, _CHILD_TYPES) and getattr(obj, "service_id", None):
            ids.add(obj.service_id)
        elif isinstance(obj, models.Attribute) and obj.link_entity == "service":
            ids.add(obj.link_id)
        elif isinstance(obj, models.Organization):
            org_ids.add(obj.id)
        elif isinstance(obj, models.Location):
            location_ids.add(obj.id)
        elif isinstance(obj, models.TaxonomyTerm):  # a theme's name and terms are indexed with its services
            theme_ids.add(obj.id)
        elif isinstance(obj, models.Translation):  # translated texts are indexed with the service
            if obj.entity_type == "service":
                ids.add(obj.entity_id)
            elif obj.entity_type == "theme":
                theme_ids.add(obj.entity_id)
    if org_ids:
        ids.update(session.scalars(select(models.Service.id).where(models.Service.organization_id.in_(org_ids))))
    if theme_ids:
        ids.update(session.scalars(
            select(models.Attribute.link_id).where(
                models.Attribute.link_entity == "service", models.Attribute.taxonomy_term_id.in_(theme_ids)
            )
        ))
    if location_ids:
        ids.update(
            session.scalars(
                select(models.ServiceAtLocation.service_id).where(models.ServiceAtLocation.location_id.in_(location_ids))
            )
        )
    return ids


def _after_flush(session: Session, flush_context: Any) -> None:
    if not _enabled():
        return
    objects = list(session.new) + list(session.dirty) + list(session.deleted)
    with session.no_autoflush:
        session.info.setdefault(_KEY, set()).update(changed_service_ids(session, objects))


def _before_commit(session: Session) -> None:
    if not _enabled():
        return
    session.flush()
    changed: set[str] = session.info.pop(_KEY, set())
    if not changed:
        return
    session.execute(
        insert(models.ChangeLog), [{"entity_type": "service", "entity_id": sid} for sid in sorted(changed)]
    )
    # The catalogue layer knows how to read services; it hands that in at init_app, so this
    # package never imports finder.catalogue (dependencies point web → catalogue → search).
    documents_for = current_app.extensions["finder.search.documents"]
    upserts, deletes = documents_for(session, changed)
    seq = session.scalar(select(models.ChangeLog.seq).order_by(models.ChangeLog.seq.desc()).limit(1))
    session.info[_PENDING] = (upserts, deletes, seq)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not _enabled():
        return
    upserts, deletes, seq = pending
    try:
        current_app.extensions["finder.search"].apply(upserts, deletes, seq)
    except Exception:  # the commit stands; the node catches up from the change log later
        log.exception("index update failed; it will be caught up from the change log")


def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_PENDING, None)


def register() -> None:
    """Attach the listeners once per process (create_app may run many times in tests)."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
