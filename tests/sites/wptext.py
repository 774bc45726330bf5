"""Comment text model for the WordPress fixtures: markup -> HTML and -> ground-truth text.

Comment texts are written in a tiny markup so the HTML (as WordPress'
``wpautop``/``wptexturize`` would render it) and the expected plain text are
derived from one source:

* paragraphs are separated by a blank line, a single newline is a ``<br />``;
* ``[link text](https://url)`` is a link;
* a paragraph starting with ``> `` is a blockquote (``<blockquote><p>…</p></blockquote>``).

The ground-truth text rule (shared with the parser): each paragraph's text with
inner whitespace collapsed to single spaces, ``<br>`` -> ``"\\n"``, paragraphs
joined by ``"\\n\\n"``, a blockquote is its own paragraph prefixed ``"> "``, link
text kept (URLs not added), entities decoded.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

# wptexturize turns typographic characters into numeric entities.
_TEXTURIZE = {
    "„": "&#8222;",
    "“": "&#8220;",
    "”": "&#8221;",
    "‘": "&#8216;",
    "’": "&#8217;",
    "…": "&#8230;",
    "–": "&#8211;",
    "—": "&#8212;",
}
_NAMED = {
    "ä": "&auml;",
    "ö": "&ouml;",
    "ü": "&uuml;",
    "Ä": "&Auml;",
    "Ö": "&Ouml;",
    "Ü": "&Uuml;",
    "ß": "&szlig;",
}


@dataclass
class Inline:
    """A run of text, a line break (``kind="br"``) or a link."""

    kind: Literal["text", "br", "link"]
    text: str = ""
    href: str = ""


@dataclass
class Block:
    """One paragraph (``p``) or a one-paragraph blockquote (``quote``)."""

    kind: Literal["p", "quote"]
    inlines: list[Inline] = field(default_factory=list)


def parse_markup(source: str) -> list[Block]:
    """Parse the mini markup described in the module docstring."""
    blocks: list[Block] = []
    for raw in re.split(r"\n\s*\n", source.strip()):
        kind: Literal["p", "quote"] = "p"
        if raw.startswith("> "):
            kind, raw = "quote", raw[2:]
        inlines: list[Inline] = []
        for i, line in enumerate(raw.split("\n")):
            if i:
                inlines.append(Inline("br"))
            pos = 0
            for m in _LINK.finditer(line):
                if m.start() > pos:
                    inlines.append(Inline("text", line[pos : m.start()]))
                inlines.append(Inline("link", m.group(1), m.group(2)))
                pos = m.end()
            if pos < len(line):
                inlines.append(Inline("text", line[pos:]))
        blocks.append(Block(kind, inlines))
    return blocks


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def blocks_text(blocks: list[Block]) -> str:
    """The ground-truth plain text of a comment (rule in the module docstring)."""
    paras: list[str] = []
    for block in blocks:
        lines = [""]
        for inline in block.inlines:
            if inline.kind == "br":
                lines.append("")
            else:
                lines[-1] += inline.text
        text = "\n".join(_collapse(line).strip() for line in lines).strip()
        if block.kind == "quote":
            text = "> " + text
        paras.append(text)
    return "\n\n".join(p for p in paras if p)


def encode_text(text: str, *, named_entities: bool = False) -> str:
    """HTML-escape ``text`` the way WordPress output looks (texturized, optional &auml;)."""
    out = html.escape(text, quote=False)
    for char, ent in _TEXTURIZE.items():
        out = out.replace(char, ent)
    if named_entities:
        for char, ent in _NAMED.items():
            out = out.replace(char, ent)
    return out


def render_inlines(inlines: list[Inline], *, named_entities: bool = False) -> str:
    """Inline HTML of one paragraph (``<br />`` followed by a newline, as wpautop does)."""
    parts: list[str] = []
    for inline in inlines:
        if inline.kind == "br":
            parts.append("<br />\n")
        elif inline.kind == "link":
            href = html.escape(inline.href, quote=True)
            label = encode_text(inline.text, named_entities=named_entities)
            parts.append(f'<a href="{href}" rel="nofollow ugc">{label}</a>')
        else:
            parts.append(encode_text(inline.text, named_entities=named_entities))
    return "".join(parts)


def render_blocks(blocks: list[Block], *, named_entities: bool = False) -> str:
    """Comment body HTML as ``comment_text()`` prints it (``<p>`` per paragraph)."""
    out: list[str] = []
    for block in blocks:
        inner = render_inlines(block.inlines, named_entities=named_entities)
        if block.kind == "quote":
            out.append(f"<blockquote><p>{inner}</p></blockquote>\n")
        else:
            out.append(f"<p>{inner}</p>\n")
    return "".join(out)


def first_sentence(blocks: list[Block], limit: int = 90) -> str:
    """First sentence (or line) of the first plain paragraph, for quoting in replies."""
    for block in blocks:
        if block.kind != "p":
            continue
        text = blocks_text([block]).split("\n")[0]
        m = re.match(r"(.+?[.!?])(\s|$)", text)
        sentence = m.group(1) if m else text
        if len(sentence) > limit:
            cut = sentence[:limit].rsplit(" ", 1)[0]
            sentence = cut + " …"
        return sentence
    return ""
