"""Editors write longer texts in Markdown; the site shows them as safe HTML.

markdown-it-py (CommonMark) with raw HTML switched off turns the text into HTML; nh3 (the Rust
ammonia sanitiser) then keeps only the few tags a description needs. Both are libraries on
purpose: sanitising HTML by hand is how sites get script injection.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
# No headings: a description sits under the page's own h2, so an editor's "# Kop" becomes a paragraph.
_markdown.disable(["heading", "lheading", "image"])
TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code"}
ATTRIBUTES = {"a": {"href"}}


def render(text: str | None) -> Markup:
    """Safe HTML for an editor's Markdown (plain text from the content files works unchanged)."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    safe = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto", "tel"},
                     link_rel="noopener noreferrer")
    return Markup(safe)  # noqa: S704 - nh3 has just sanitised it; that is the point
