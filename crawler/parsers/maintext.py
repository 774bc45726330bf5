"""Generic main-text extraction for news pages (the last resort of the news parser).

:func:`extract_main_text` is a small readability/jusText-style extractor written on
BeautifulSoup with the lxml parser.  It works in four steps:

1. **Clean**: drop elements that never hold article text: scripts, forms,
   navigation, consent layers, ads, share bars, comment sections, newsletter
   boxes, captions, bylines, related-article lists.  The tag names, CSS
   selectors, ARIA roles and class/id patterns are data in ``boilerplate.json``
   beside this module, not code.  Elements that contain the headline (``h1``)
   or a known body class (``entry-content``, ``article-content`` …) are never
   removed by a class/id pattern, so a misleading wrapper class cannot delete
   the article.
2. **Split** the cleaned page into blocks (paragraphs): every block-level
   element starts a new one, ``<br>`` becomes a line break inside a block.
3. **Choose** the container: every block of at least ``content_min_chars``
   characters with a low link density counts as content, every link-heavy or
   noise block as junk (short blocks as a little junk).  The counts are summed
   up the tree and the element with the best ``content - junk_weight * junk`` wins.
   That picks the article body even when its paragraphs sit in many sibling
   modules (WDR) and leaves out sidebars and teaser lists.
4. **Serialise** the container's blocks: no ``h1`` and no copy of the title,
   no link lists, no noise lines ("Anzeige", "Mehr zum Thema", editor
   initials, photo credits), no duplicates, no heading without text after it.
   A lead paragraph (``p.lead``, ``hgroup > p``, ``p.einleitung`` …) that sits
   in the same article before the container is put first, once.

Output format (the project's text format, see ``crawler.parsers.common``):
paragraphs joined by ``"\\n\\n"``, whitespace inside a paragraph collapsed to
single spaces, ``<br>`` kept as ``"\\n"``, entities decoded, headings inside the
body as their own paragraphs, list items as one paragraph each, block quotes
prefixed ``"> "``.

:func:`extract_main_text_trafilatura` wraps trafilatura with precision-oriented
settings and returns the same format, for comparison (see
``benchmarks/extraction_quality.py``).

Both functions are pure: no I/O besides reading the pattern file once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

PATTERNS_FILE = Path(__file__).with_name("boilerplate.json")

# Elements that start a new paragraph.  Unknown custom elements (``a-lightbox``)
# count as blocks too, see _is_block.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
CELL_TAGS = frozenset({"td", "th"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Never removed by a class/id/role pattern (WordPress puts tag names into body classes).
UNTOUCHABLE = frozenset({"html", "body", "article", "main"})

_BR = "\ue000"  # private-use sentinel for <br>, survives whitespace collapsing
_WS = re.compile(r"[^\S\ue000]+|[\u00a0\u200b\u202f]+")
_INVISIBLE = re.compile("[\u00ad\u200c\u200d\u2060\ufeff]")
_SEGMENT_SPLIT = re.compile(r"[-_\s]+")
_NON_NODES = (Comment, Declaration, Doctype, ProcessingInstruction)
_MAX_DEPTH = 400


@dataclass(frozen=True)
class Patterns:
    """Boilerplate patterns loaded from ``boilerplate.json`` (see its ``_doc``)."""

    remove_tags: frozenset[str]
    remove_tags_unless_protected: frozenset[str]
    remove_selectors: tuple[str, ...]
    remove_roles: frozenset[str]
    segments: frozenset[str]
    substrings: tuple[str, ...]
    hidden_segments: frozenset[str]
    keep: re.Pattern[str]
    lead_selectors: tuple[str, ...]
    lead_class: re.Pattern[str]
    lead_min_chars: int
    lead_max_chars: int
    scope_selectors: tuple[str, ...]
    noise: re.Pattern[str]
    noise_max_length: int
    link_density_max: float
    content_min_chars: int
    content_link_density_max: float
    short_block_junk_weight: float
    removed_junk_weight: float
    junk_weight: float


@lru_cache(maxsize=4)
def load_patterns(path: str | None = None) -> Patterns:
    """Read and compile the boilerplate patterns (cached; default: ``boilerplate.json``)."""
    # The default is read as a package resource: it must work from a zipped egg (Scrapyd).
    default = resources.files("crawler.parsers").joinpath(PATTERNS_FILE.name)
    data: dict[str, Any] = json.loads((Path(path) if path else default).read_text(encoding="utf-8"))
    noise = "|".join(f"(?:{p})" for p in data["noise_texts"])
    return Patterns(
        remove_tags=frozenset(data["remove_tags"]),
        remove_tags_unless_protected=frozenset(data["remove_tags_unless_protected"]),
        remove_selectors=tuple(data["remove_selectors"]),
        remove_roles=frozenset(data["remove_roles"]),
        segments=frozenset(data["class_id_segments"]),
        substrings=tuple(data["class_id_substrings"]),
        hidden_segments=frozenset(data["hidden_segments"]),
        keep=re.compile("|".join(data["keep_class_id"]), re.I),
        lead_selectors=tuple(data["lead_selectors"]),
        lead_class=re.compile(data["lead_class_regex"], re.I),
        lead_min_chars=int(data["lead_min_chars"]),
        lead_max_chars=int(data["lead_max_chars"]),
        scope_selectors=tuple(data["scope_selectors"]),
        noise=re.compile(rf"(?:{noise})[\s.:!]*", re.I),
        noise_max_length=int(data["noise_text_max_length"]),
        link_density_max=float(data["link_density_max"]),
        content_min_chars=int(data["content_min_chars"]),
        content_link_density_max=float(data["content_link_density_max"]),
        short_block_junk_weight=float(data["short_block_junk_weight"]),
        removed_junk_weight=float(data["removed_junk_weight"]),
        junk_weight=float(data["junk_weight"]),
    )


@dataclass
class Block:
    """One paragraph of the page and the element it came from."""

    text: str
    link_chars: int
    element: Tag
    level: int  # 1-6 for headings, 0 otherwise

    @property
    def link_density(self) -> float:
        return self.link_chars / max(len(self.text), 1)


# --------------------------------------------------------------------------- text


def _collapse(text: str) -> str:
    """Collapse whitespace (keeping the <br> sentinel), then turn sentinels into newlines."""
    text = _WS.sub(" ", _INVISIBLE.sub("", text))
    lines = (line.strip() for line in text.split(_BR))
    return "\n".join(line for line in lines if line)


def _norm_key(text: str) -> str:
    """Comparison key: lowercase words only."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_block(tag: Tag) -> bool:
    return tag.name in BLOCK_TAGS or "-" in tag.name


def _blocks(root: Tag) -> list[Block]:
    """Split ``root`` into paragraphs: block elements and ``<br>`` break the text."""
    out: list[Block] = []
    buf: list[str] = []
    links = [0]
    stack: list[Tag] = [root]
    quote = [0]

    def flush() -> None:
        text = _collapse("".join(buf))
        buf.clear()
        if text:
            el = stack[-1]
            if quote[0]:
                text = "\n".join("> " + line for line in text.split("\n"))
            out.append(Block(text, min(links[0], len(text)), el, HEADINGS.get(el.name, 0)))
        links[0] = 0

    def walk(el: Tag, in_link: bool, depth: int) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if isinstance(child, _NON_NODES):
                    continue
                s = str(child)
                buf.append(s)
                if in_link:
                    links[0] += len(_WS.sub(" ", s).strip())
            elif isinstance(child, Tag):
                name = child.name
                if name == "br":
                    buf.append(_BR)
                elif depth > _MAX_DEPTH:
                    buf.append(child.get_text(" "))
                elif _is_block(child):
                    flush()
                    stack.append(child)
                    is_quote = name == "blockquote"
                    quote[0] += is_quote
                    walk(child, in_link, depth + 1)
                    flush()
                    quote[0] -= is_quote
                    stack.pop()
                elif name in CELL_TAGS:
                    buf.append(" ")
                    walk(child, in_link, depth + 1)
                    buf.append(" ")
                else:
                    walk(child, in_link or name == "a", depth + 1)

    walk(root, False, 0)
    flush()
    return out


# ------------------------------------------------------------------------- cleaning


def _tokens(tag: Tag) -> list[str]:
    values: list[str] = []
    cls = tag.get("class")
    if isinstance(cls, list):
        values.extend(cls)
    elif isinstance(cls, str):
        values.extend(cls.split())
    ident = tag.get("id")
    if isinstance(ident, str) and ident:
        values.append(ident)
    return [v.lower() for v in values if v]


def _matches_boilerplate(tag: Tag, pats: Patterns) -> bool:
    tokens = _tokens(tag)
    if not tokens:
        return False
    if any(pats.keep.search(t) for t in tokens):
        return False
    responsive = any(":" in t for t in tokens)  # Tailwind "hidden md:block" is visible
    for token in tokens:
        if ":" in token:
            continue
        if any(s in token for s in pats.substrings):
            return True
        for seg in _SEGMENT_SPLIT.split(token):
            if seg in pats.segments and not (responsive and seg in pats.hidden_segments):
                return True
    return False


def _is_lead(tag: Tag, pats: Patterns) -> bool:
    if tag.name not in ("p", "div", "h2", "span", "section"):
        return False
    return any(pats.lead_class.search(t) for t in _tokens(tag))


def _clean(soup: BeautifulSoup, pats: Patterns) -> tuple[Tag, set[int], dict[int, float]]:
    """Remove boilerplate in place.

    Returns the body, the ids of lead elements and, per parent element id, the
    amount of visible text removed from it (evidence of boilerplate around it).
    """
    body = soup.body or soup
    for node in body.find_all(string=lambda s: isinstance(s, _NON_NODES)):
        node.extract()
    for tag in body.find_all(list(pats.remove_tags)):
        if not tag.decomposed:
            tag.decompose()

    leads: set[int] = set()
    for sel in pats.lead_selectors:
        leads.update(id(t) for t in body.select(sel))
    leads.update(id(t) for t in body.find_all(True) if _is_lead(t, pats))

    protected: set[int] = set()
    anchors = list(body.find_all("h1")) + list(body.select("[itemprop=articleBody]"))
    anchors += [t for t in body.find_all(True) if any(pats.keep.search(x) for x in _tokens(t))]
    for anchor in anchors:
        protected.add(id(anchor))
        protected.update(id(p) for p in anchor.parents)
    for lead_id in list(leads):
        protected.add(lead_id)

    doomed: list[Tag] = []
    for sel in pats.remove_selectors:
        doomed.extend(t for t in body.select(sel) if t.name not in UNTOUCHABLE)
    for tag in body.find_all(True):
        if tag.name in UNTOUCHABLE or tag.name in HEADINGS or id(tag) in protected:
            continue  # headings often carry anchor ids such as "nav_..."; judged later
        role = tag.get("role")
        if (
            tag.name in pats.remove_tags_unless_protected
            or (isinstance(role, str) and role.lower() in pats.remove_roles)
            or _matches_boilerplate(tag, pats)
        ):
            doomed.append(tag)
    removed: dict[int, float] = {}
    for tag in doomed:
        if tag.decomposed:
            continue
        parent = tag.parent
        if parent is not None:
            size = len(_WS.sub(" ", tag.get_text(" ")).strip())
            removed[id(parent)] = removed.get(id(parent), 0.0) + size
        tag.decompose()
    return body, leads, removed


# ------------------------------------------------------------------ container choice


def _ancestors(el: Tag, stop: Tag) -> Iterator[Tag]:
    node: Tag | None = el
    while node is not None:
        yield node
        if node is stop:
            return
        node = node.parent


def _choose_container(
    blocks: list[Block], body: Tag, pats: Patterns, removed: dict[int, float]
) -> Tag | None:
    content: dict[int, float] = {}
    junk: dict[int, float] = {}
    depth: dict[int, int] = {}
    tags: dict[int, Tag] = {}
    # Text that cleaning removed counts as junk of every ancestor of its parent.
    for tag in body.find_all(True):
        amount = removed.get(id(tag), 0.0) * pats.removed_junk_weight
        if amount:
            for anc in _ancestors(tag, body):
                junk[id(anc)] = junk.get(id(anc), 0.0) + amount
    for block in blocks:
        size = len(block.text)
        c = j = 0.0
        if block.level:
            pass  # headings are neutral
        elif _is_noise(block.text, pats) or block.link_density > pats.content_link_density_max:
            j = size
        elif size >= pats.content_min_chars:
            c = size
        else:
            j = size * pats.short_block_junk_weight
        if not (c or j):
            continue
        chain = list(_ancestors(block.element, body))
        for i, anc in enumerate(chain):
            key = id(anc)
            content[key] = content.get(key, 0.0) + c
            junk[key] = junk.get(key, 0.0) + j
            depth[key] = len(chain) - i
            tags[key] = anc
    best: Tag | None = None
    best_score = 0.0
    best_depth = -1
    for key, tag in tags.items():
        if content[key] <= 0:
            continue
        score = content[key] - pats.junk_weight * junk.get(key, 0.0)
        if score > best_score or (score == best_score and depth[key] > best_depth):
            best, best_score, best_depth = tag, score, depth[key]
    return best


def _is_noise(text: str, pats: Patterns) -> bool:
    return len(text) <= pats.noise_max_length and pats.noise.fullmatch(text) is not None


def _inside(el: Tag, container: Tag) -> bool:
    return el is container or any(p is container for p in el.parents)


def _scope(container: Tag, body: Tag, pats: Patterns) -> Tag:
    """The article around the container (for the lead), else a few levels up."""
    for sel in pats.scope_selectors:
        for cand in body.select(sel):
            if _inside(container, cand) and cand is not container:
                return cand
    node = container
    for _ in range(3):
        if node.parent is None or node is body:
            break
        node = node.parent
    return node


def _lead(
    container: Tag, body: Tag, leads: set[int], pats: Patterns, order: dict[int, int]
) -> str | None:
    scope = _scope(container, body, pats)
    start = order.get(id(container), 0)
    for tag in scope.find_all(True):
        if id(tag) not in leads or order.get(id(tag), start) >= start:
            continue
        if _inside(tag, container) or _inside(container, tag):
            continue
        text = _collapse(tag.get_text())
        if pats.lead_min_chars <= len(text) <= pats.lead_max_chars:
            return text
    return None


# ----------------------------------------------------------------------- public API


def _titles(soup: BeautifulSoup) -> set[str]:
    found: list[str] = [h.get_text(" ") for h in soup.find_all("h1")]
    for selector in ('meta[property="og:title"]', 'meta[name="twitter:title"]', "meta[name=title]"):
        meta = soup.select_one(selector)
        if meta is not None and isinstance(meta.get("content"), str):
            found.append(str(meta["content"]))
    if soup.title and soup.title.string:
        found.append(str(soup.title.string))
    keys: set[str] = set()
    for title in found:
        keys.add(_norm_key(title))
        keys.add(_norm_key(re.split(r"\s+[|–—-]\s+(?=[^|–—-]+$)", title)[0]))
    keys.discard("")
    return keys


def _serialise(blocks: Iterable[Block], lead: str | None, titles: set[str], pats: Patterns) -> str:
    kept: list[Block] = []
    seen: set[str] = set()
    if lead:
        seen.add(_norm_key(lead))
    for block in blocks:
        key = _norm_key(block.text)
        if not key or block.level == 1 or key in titles or key in seen:
            continue
        if _is_noise(block.text, pats) or block.link_density > pats.link_density_max:
            continue
        seen.add(key)
        kept.append(block)
    # A heading is kept only when body text or a deeper heading follows it.
    result: list[str] = []
    next_level: int | None = None  # None: nothing follows; 0: body text; n: heading level
    for block in reversed(kept):
        if block.level and (next_level is None or 0 < next_level <= block.level):
            continue
        next_level = block.level
        result.append(block.text)
    result.reverse()
    if lead:
        result.insert(0, lead)
    return "\n\n".join(result)


def extract_main_text(html: str, url: str | None = None) -> str:
    """Main text of a news page: paragraphs joined by a blank line, or "" if none.

    ``url`` is accepted for symmetry with the other parsers and for future
    site hints; the extraction itself only looks at the HTML.
    """
    if not isinstance(html, str) or "<" not in html or not html.strip():
        return ""
    pats = load_patterns()
    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception:  # lxml gives up only on pathological input
        return ""
    titles = _titles(soup)
    body, leads, removed = _clean(soup, pats)
    blocks = _blocks(body)
    container = _choose_container(blocks, body, pats, removed)
    if container is None:
        return ""
    order = {id(t): i for i, t in enumerate(body.find_all(True))}
    lead = _lead(container, body, leads, pats, order)
    inside = [b for b in blocks if _inside(b.element, container)]
    if lead and _norm_key(lead) in titles:
        lead = None
    return _serialise(inside, lead, titles, pats)


def extract_main_text_trafilatura(html: str, url: str | None = None) -> str:
    """trafilatura's main text in the same paragraph format (precision-oriented settings).

    Comments, tables, images and links are left out, ``favor_precision`` is on
    and trafilatura's cross-document deduplication is off (it keeps a global
    cache).  Returns "" when trafilatura finds nothing.
    """
    if not isinstance(html, str) or not html.strip():
        return ""
    import trafilatura  # imported lazily: heavy, and optional for the crawl
    from lxml import etree

    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=False,
    )
    if not xml:
        return ""
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None:
        main = root
    paras: list[str] = []

    def text_of(el: Any) -> str:
        parts: list[str] = [el.text or ""]
        for child in el:
            if child.tag == "lb":
                parts.append(_BR)
            else:
                parts.append(text_of(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def walk(el: Any, quoted: bool) -> None:
        for child in el:
            tag = child.tag
            if tag in ("p", "head", "item", "cell") or (tag == "quote" and len(child) == 0):
                text = _collapse(text_of(child))
                if text:
                    if quoted or tag == "quote":
                        text = "\n".join("> " + line for line in text.split("\n"))
                    paras.append(text)
            elif tag != "lb":
                walk(child, quoted or tag == "quote")

    walk(main, False)
    return "\n\n".join(paras)
