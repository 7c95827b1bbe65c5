"""Which content/ folder the benchmark loads: the real one, or (if it is mid-edit) a patched copy.

content/ is edited by others while the bench may run. A ContentError is retried a few times;
if it persists, a copy is made under bench/_work/ with the problems that editing typically
leaves behind smoothed over (a half-written services file is left out; an organisation that a
service refers to but that is not written yet gets a stub). Only the copy is changed, and the
results record that it was used. Anything else still fails loudly.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from finder.catalogue.content import ContentError, read_content

_UNKNOWN_ORG = re.compile(r"unknown organisation '([a-z0-9-]+)'")
_FILE_PROBLEM = re.compile(r"^([^:]+\.yaml): (cannot read YAML|top-level keys)")


@dataclass
class ContentSource:
    directory: Path
    patched: bool = False
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"directory": str(self.directory), "patched_copy": self.patched, "notes": self.notes}


def _problems(directory: Path) -> list[str]:
    try:
        read_content(directory)
    except ContentError as exc:
        return exc.problems
    return []


def _patched_copy(original: Path, target: Path, problems: list[str]) -> ContentSource:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(original, target)
    notes: list[str] = []
    for problem in problems:
        m = _FILE_PROBLEM.match(problem)
        if m and (target / "services" / m.group(1)).exists():
            (target / "services" / m.group(1)).unlink()
            notes.append(f"left out services/{m.group(1)} ({m.group(2)})")
    problems = _problems(target)
    missing = sorted({m.group(1) for p in problems if (m := _UNKNOWN_ORG.search(p))})
    if missing:
        stubs = {
            "organizations": [
                {"slug": slug, "name": slug.replace("-", " ").title(), "description": "Stub for the benchmark.",
                 "sources": [{"title": "bench stub (organisation not in content/ yet)"}]}
                for slug in missing
            ]
        }
        (target / "services" / "zz-bench-stub-organisations.yaml").write_text(
            yaml.safe_dump(stubs, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        notes.append(f"added stub organisations: {', '.join(missing)}")
    remaining = _problems(target)
    if remaining:
        raise ContentError(remaining)
    return ContentSource(target, patched=True, notes=notes)


def resolve_content(original: Path, work: Path, retries: int, wait: float) -> ContentSource:
    """The real content/ if it loads (after up to `retries` waits), else a patched copy."""
    problems: list[str] = []
    for attempt in range(retries + 1):
        problems = _problems(original)
        if not problems:
            return ContentSource(original)
        print(f"content/ does not load ({len(problems)} problem(s), first: {problems[0]})")
        if attempt < retries:
            print(f"  probably mid-edit; waiting {wait:.0f}s and trying again ({attempt + 1}/{retries})")
            time.sleep(wait)
    print("  using a patched copy under bench/_work/content (content/ itself is not touched)")
    source = _patched_copy(original, work / "content", problems)
    source.notes.insert(0, f"content/ failed to load: {len(problems)} problem(s), e.g. {problems[0]}")
    for note in source.notes:
        print(f"  - {note}")
    return source
