"""Every visible text in the templates goes through Babel."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).parents[2] / "finder" / "templates"
# Text that may stand outside gettext: punctuation, numbers, separators and the 112 number.
ALLOWED = re.compile(r"^[\s\d.,:;()\[\]·|›…?!'\"/%&+=*#-]*$")


def visible_text(source: str) -> list[str]:
    source = re.sub(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"<[^>]+>", "\n", source)
    source = re.sub(r"&[a-z]+;", " ", source)
    return [line.strip() for line in source.splitlines() if line.strip()]


def test_no_text_outside_gettext():
    offenders = {}
    for path in TEMPLATES.rglob("*.html"):
        bad = [t for t in visible_text(path.read_text()) if not ALLOWED.match(t)]
        if bad:
            offenders[str(path.relative_to(TEMPLATES))] = bad
    assert offenders == {}


def test_detector_finds_plain_text():
    assert visible_text("<p>{{ _('Ja') }} Hallo</p>") == ["Hallo"]
