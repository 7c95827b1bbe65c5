"""Write or extend content/translations/<locale>.yaml with every service and theme that has no
translation yet (or whose Dutch changed), with the Dutch text as a comment for the translator.

    .venv/bin/python tools/translation_skeleton.py en [--themes-only] [--out FILE]

Existing, current entries are kept as they are. An entry's `source` is the fingerprint of the
Dutch texts it translates (finder/catalogue/translation_text.py); fill in the empty fields.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from finder.catalogue.translation_text import SERVICE_FIELDS, THEME_FIELDS, fingerprint  # noqa: E402


def dutch_records(content: Path) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    services: dict[str, dict[str, str]] = {}
    for path in sorted((content / "services").glob("*.yaml")):
        for s in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("services", []) or []:
            if s.get("status", "gepubliceerd") == "gepubliceerd":
                services[s["slug"]] = {f: (s.get(f) or "").strip() for f in SERVICE_FIELDS}
    taxonomy = yaml.safe_load((content / "taxonomy.yaml").read_text(encoding="utf-8"))
    themes = {t["slug"]: {f: (t.get(f) or "").strip() for f in THEME_FIELDS} for t in taxonomy["themes"]}
    return services, themes


def _quote(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=10_000).strip().removesuffix("\n...").strip()


def block(kind: str, records: dict[str, dict[str, str]], fields: tuple[str, ...],
          existing: dict[str, dict[str, str]]) -> list[str]:
    lines = [f"{kind}:"]
    for slug, dutch in records.items():
        source = fingerprint(dutch[f] for f in fields)
        have = existing.get(slug) or {}
        current = have.get("source") == source and all(have.get(f) for f in fields)
        lines.append(f"  {slug}:")
        lines.append(f"    source: {source}")
        for f in fields:
            lines.append(f"    # nl: {' '.join(dutch[f].split())}")
            lines.append(f"    {f}: {_quote(have.get(f, '')) if current else _quote('')}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("locale")
    ap.add_argument("--themes-only", action="store_true")
    ap.add_argument("--content", default=str(ROOT / "content"))
    ap.add_argument("--out")
    args = ap.parse_args()
    content = Path(args.content)
    out = Path(args.out) if args.out else content / "translations" / f"{args.locale}.yaml"
    existing = yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else {}
    existing = existing or {}
    services, themes = dutch_records(content)
    lines = [
        f"# Translations of the Dutch content into {args.locale}. Fill in the empty fields; keep `source`.",
        "# status: machine (no human review yet) | human (by a person) | reviewed (checked by a second person)",
        f"locale: {args.locale}",
        f"status: {existing.get('status', 'machine')}",
    ]
    lines += block("themes", themes, THEME_FIELDS, existing.get("themes") or {})
    if not args.themes_only:
        lines += block("services", services, SERVICE_FIELDS, existing.get("services") or {})
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
