"""Use cases: the only layer that reads and writes through db.session (flush, never commit)."""
