"""Geography: the gazetteer of the region, distances, and geocoding of editors' addresses.

Nothing here touches the network during a page view: the gazetteer is read from CONTENT_DIR/geo,
and geocoding (finder.geo.geocoding) only runs when an editor saves an address or runs
`flask --app finder geocode-locations`.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from finder.geo.gazetteer import ATTRIBUTION, Gazetteer, Located, Place, Resolution

__all__ = ["ATTRIBUTION", "Gazetteer", "Located", "Place", "Resolution", "gazetteer"]

_lock = threading.Lock()


def gazetteer() -> Gazetteer:
    """The gazetteer of the current app, built on first use (about 50 ms)."""
    found = current_app.extensions.get("finder.gazetteer")
    if found is not None:
        return found
    with _lock:
        found = current_app.extensions.get("finder.gazetteer")
        if found is None:
            from finder import models
            from finder.extensions import db

            slugs = dict(db.session.execute(select(models.Gemeente.cbs_code, models.Gemeente.slug)).all())
            found = Gazetteer.from_files(Path(current_app.config["CONTENT_DIR"]) / "geo", slugs)
            if slugs:  # not before the gemeenten are loaded: an empty gazetteer would stick
                current_app.extensions["finder.gazetteer"] = found
    return found
