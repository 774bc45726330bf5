"""Article fields from any page: metadata first, site selectors second, a
generic main-text extractor last.

:func:`extract_article` is shared by the news and WordPress parsers.  It
records in ``provenance`` which method produced each field (``jsonld``,
``meta``, ``microdata``, ``selector``, ``extractor``), which the spiders
count in Scrapy stats so that drift of a site's markup shows up.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree
from lxml.etree import _Element

from crawler.dates import BERLIN, isoformat, parse_iso, parse_text_date
from crawler.items import Article
from crawler.parsers import common
from crawler.sources import Source

_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_INT = re.compile(r"\d+")
# "87", "1.234" or "1,234" (thousands separators), the first number in a text
_COUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+")
_ITEMPROP = etree.XPath("descendant-or-self::*[@itemprop]")
# Containers whose <time> elements are not the article's own date
_NOT_ARTICLE = {"nav", "footer", "aside"}
_NOT_ARTICLE_MARKS = ("comment", "footer", "sidebar", "related")


class _Page:
    """Per-page lookups built once: meta tags by name and microdata by property
    (one pass each instead of one full-tree query per field)."""

    def __init__(self, root: _Element) -> None:
        self.root = root
        self.metas: dict[str, str] = {}
        for el in root.iter("meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            if key and key not in self.metas:
                content = el.get("content")
                if content and content.strip():
                    self.metas[key] = html_lib.unescape(content.strip())
        self.items: dict[str, _Element] = {}
        for el in _ITEMPROP(root):
            for prop in (el.get("itemprop") or "").split():
                self.items.setdefault(prop, el)

    def meta(self, *names: str) -> str | None:
        """Content of the first of ``names`` present (name, property or itemprop)."""
        for name in names:
            value = self.metas.get(name)
            if value:
                return value
        return None


@dataclass
class ArticlePage:
    """What one article page yields besides the Article itself."""

    article: Article
    discussion_url: str | None = None
    comment_count_meta: int | None = None
    amp_of: str | None = None
    date_only: bool = False
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass
class _Stamp:
    value: datetime
    date_only: bool
    zulu: bool
    method: str
    # labelled as the publication time (datePublished, article:published_time,
    # a site's own date selector); False for ambiguous ones (meta "date", DC.Date,
    # any <time> in the article), which may as well be the last modification
    explicit: bool = True


def _stamp(
    raw: str | None, method: str, assume_local: bool = False, explicit: bool = True
) -> _Stamp | None:
    if not raw:
        return None
    raw = raw.strip()
    iso = parse_iso(raw, assume_local=assume_local)
    if iso:
        zulu = raw.upper().endswith("Z") and not assume_local
        return _Stamp(iso[0], iso[1], zulu, method, explicit)
    parsed = parse_text_date(raw)
    if parsed:
        has_time = bool(re.search(r"\d{1,2}[:.]\d{2}(?!\.\d)", raw.split(str(parsed.year))[-1]))
        return _Stamp(parsed, not has_time, False, method, explicit)
    return None


def _choose(stamps: list[_Stamp], modified: _Stamp | None = None) -> _Stamp | None:
    """The best timestamp: first by method rank, repairing two known traps.

    - A value labelled UTC ("Z") whose wall clock equals another candidate's
      local wall clock is local time mislabelled (golem): take the other.
    - A date-only value is refined by another candidate on the same day with
      a time (WDR: JSON-LD "2024-04-22", ``publication_time`` 06:00 in an inline
      script).  An ambiguous candidate (DC.Date, a bare ``<time>``) that equals
      the page's modification time is no evidence of the publication time
      ("Stand:" and DC.Date both say 16:48 when the article was last edited
      then): the value stays date-only rather than take the edit time.
    """
    if not stamps:
        return None
    best = stamps[0]
    if best.zulu:
        clock = best.value.replace(tzinfo=None)
        for other in stamps[1:]:
            if not other.zulu and other.value.astimezone(BERLIN).replace(tzinfo=None) == clock:
                best = other
                break
    if best.date_only:
        day = best.value.astimezone(BERLIN).date()
        for other in stamps[1:]:
            if other.date_only or other.value.astimezone(BERLIN).date() != day:
                continue
            if not other.explicit and modified is not None and other.value == modified.value:
                continue
            return other
    return best


def _script_stamps(root: _Element, patterns: tuple[re.Pattern[str], ...]) -> list[_Stamp | None]:
    """Timestamps from inline scripts (WDR: ``gWDRMetaDataInfoObject`` ``publication_time``)."""
    out: list[_Stamp | None] = []
    for script in root.iter("script"):
        text = script.text
        if not text or script.get("src"):
            continue
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                out.append(_stamp(match.group(1), "script"))
    return out


def _outside_article(el: _Element) -> bool:
    """Navigation, footers, sidebars, related-article lists and comments."""
    if el.tag in _NOT_ARTICLE:
        return True
    marks = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return any(mark in marks for mark in _NOT_ARTICLE_MARKS)


def _heading_time(root: _Element) -> _Stamp | None:
    """Last resort: a ``<time datetime>`` in the block around the page's first
    ``<h1>`` (its parent or grandparent: CMS pages without metadata, such as
    "<p class=artikel-datum><time …>" above the heading), never one inside
    navigation, footers, sidebars or comments."""
    heading = next((h for h in root.iter("h1") if common.text_of(h)), None)
    block = heading.getparent() if heading is not None else None
    for _ in range(2):
        if block is None or block is root or block.tag == "body":
            return None
        for el in block.iter("time"):
            raw = el.get("datetime")
            if not raw:
                continue
            between = []
            for ancestor in el.iterancestors():
                if ancestor is block:
                    break
                between.append(ancestor)
            if not any(_outside_article(a) for a in (el, *between)):
                return _stamp(raw, "selector", explicit=False)
        block = block.getparent()
    return None


def _time_candidates(
    page: _Page, ld: dict[str, Any] | None, source: Source, key: str
) -> list[_Stamp]:
    """Publication (key="published") or modification (key="modified") candidates."""
    root = page.root
    out: list[_Stamp | None] = []
    if key == "published":
        out.append(_stamp(page.meta("article:published_time"), "meta"))
        if ld:
            out.append(_stamp(ld.get("datePublished"), "jsonld", source.json_ld_time_is_local))
        patterns = source.published_script
        if patterns:
            out.extend(_script_stamps(root, patterns))
        md = page.items.get("datePublished")
        if md is not None:
            out.append(_stamp(md.get("content") or md.get("datetime"), "microdata"))
        for selector in source.published:
            for el in common.select(root, selector):
                out.append(_stamp(el.get("datetime") or el.get("content"), "selector"))
        out.append(_stamp(page.meta("pubdate", "publishdate"), "meta"))
        out.append(_stamp(page.meta("date", "dc.date"), "meta", explicit=False))
        # Twenty Ten: <a rel="bookmark" title="08:18"><span class="entry-date">9. Januar 2024</span>
        for link in common.select(root, ".entry-meta a[rel=bookmark], .posted-on a[rel=bookmark]"):
            day = common.text_of(link)
            clock = link.get("title") or ""
            out.append(_stamp(f"{day} {clock}".strip(), "selector"))
        for el in common.select(root, "time.entry-date[datetime], article time[datetime]"):
            explicit = "entry-date" in (el.get("class") or "").split()
            out.append(_stamp(el.get("datetime"), "selector", explicit=explicit))
        if not any(out):
            out.append(_heading_time(root))
    else:
        out.append(_stamp(page.meta("article:modified_time", "og:updated_time"), "meta"))
        if ld:
            out.append(_stamp(ld.get("dateModified"), "jsonld", source.json_ld_time_is_local))
        md = page.items.get("dateModified")
        if md is not None:
            out.append(_stamp(md.get("content") or md.get("datetime"), "microdata"))
        for selector in source.modified_text:
            for el in common.select(root, selector):
                out.append(_stamp(common.text_of(el), "selector"))
        for el in common.select(root, "time.updated[datetime]"):
            out.append(_stamp(el.get("datetime"), "selector"))
    return [s for s in out if s]


def _strip_site(title: str, page: _Page, source: Source) -> str:
    """Cut a trailing " - Site name" (og:site_name, the registry's names)."""
    names = [n for n in (page.meta("og:site_name"), source.title, *source.title_suffixes) if n]
    for name in names:
        for sep in (" - ", " | ", " – ", " — "):
            if title.endswith(sep + name):
                return title[: -len(sep + name)].strip()
    return title


def _title(page: _Page, ld: dict[str, Any] | None, source: Source) -> tuple[str, str]:
    title, method = _raw_title(page, ld, source)
    return _strip_site(title, page, source), method


def _raw_title(page: _Page, ld: dict[str, Any] | None, source: Source) -> tuple[str, str]:
    root = page.root
    if ld and isinstance(ld.get("headline"), str) and ld["headline"].strip():
        return common.clean_inline(ld["headline"]), "jsonld"
    text = common.first_text(root, *source.title_selectors) if source.title_selectors else None
    if text:
        return text, "selector"
    md = page.items.get("headline")
    if md is not None and common.text_of(md):
        return common.text_of(md), "microdata"
    og = page.meta("og:title", "twitter:title")
    if og:
        return common.clean_inline(og), "meta"
    headings = [h for h in root.iter("h1") if common.text_of(h)]
    preferred = [h for h in headings if "entry-title" in h.get("class", "").split()]
    if preferred or headings:
        return common.text_of((preferred or headings)[0]), "selector"
    text = common.first_text(root, ".entry-title")
    if text:
        return text, "selector"
    title = common.text_of(common.first(root, "title"))
    return _TITLE_SUFFIX.sub("", title), "title"


def _author(page: _Page, ld: dict[str, Any] | None, source: Source) -> tuple[str | None, str]:
    root = page.root
    found: list[str] = []
    method = ""
    if ld:
        found, method = common.names(ld.get("author")), "jsonld"
    if not found and source.author:
        for selector in source.author:
            found = [
                common.text_of(el) for el in common.select(root, selector) if common.text_of(el)
            ]
            if found:
                method = "selector"
                break
    if not found:
        # the first itemprop=author in document order (its itemprop=name is inside it)
        md = page.items.get("author")
        found = [common.text_of(md)] if md is not None else []
        method = "microdata"
    if not found or not found[0]:
        value = page.meta("author", "article:author", "dc.creator")
        found, method = ([value] if value and not value.startswith("http") else []), "meta"
    if not found:
        found = [
            common.text_of(el)
            for el in common.select(
                root, ".entry-meta .author .fn, .byline .author a, a[rel=author]"
            )
        ][:1]
        method = "selector"
    cleaned: list[str] = []
    for name in found:
        if source.author_strip:
            name = re.sub(source.author_strip, "", name).strip()
        if name and name not in cleaned:
            cleaned.append(name)
    return ("; ".join(cleaned) if cleaned else None), method


def _discussion(
    root: _Element, ld: dict[str, Any] | None, canonical: str, source: Source
) -> tuple[str | None, int | None]:
    """Where the comments are and how many the page announces.

    JSON-LD ``discussionUrl`` (made absolute against the canonical URL, heise
    gives a path) and ``commentCount`` (heise: a string) come first; then the
    site's comment link (golem's "Kommentarübersicht", heise 2019's
    "Kommentare lesen") and count (handwerksblatt's hidden "2 Kommentare"
    heading) from the registry.
    """
    discussion = None
    count = None
    if ld:
        discussion = common.absolute(canonical, ld.get("discussionUrl"))
        raw_count = ld.get("commentCount")
        if raw_count is not None and _INT.fullmatch(str(raw_count).strip()):
            count = int(str(raw_count).strip())
    if discussion is None and source.discussion:
        discussion = common.absolute(canonical, common.first_attr(root, source.discussion, "href"))
    if count is None and source.comment_count:
        for el in common.select(root, source.comment_count):
            match = _COUNT.search(el.get("content") or common.text_of(el))
            if match:
                count = int(re.sub(r"[.,]", "", match.group()))
                break
    return discussion, count


def _body(root: _Element, url: str, source: Source, extra_body: tuple[str, ...]) -> tuple[str, str]:
    for selector in (*source.body, *extra_body):
        found = common.select(root, selector)
        if not found:
            continue
        container = found[0]
        common.remove(container, source.remove)
        if source.body_paragraphs:
            paras = [
                common.text_of(el)
                for el in common.select(
                    container.getroottree().getroot(), ", ".join(source.body_paragraphs)
                )
            ]
        else:
            paras = common.paragraphs(container)
        for pattern in source.strip:
            paras = [pattern.sub("", p) for p in paras]
        paras = common.drop_noise([p for p in paras if p], source.noise)
        if paras:
            return "\n\n".join(paras), "selector"
    from crawler.parsers.maintext import extract_main_text

    return extract_main_text(common.to_html(root), url), "extractor"


def extract_article(
    root: _Element,
    url: str,
    fetched_at: str,
    source: Source,
    *,
    article_id: str | None = None,
    extra_body: tuple[str, ...] = (),
) -> ArticlePage:
    """Build the Article of a page (the caller decides the id scheme if it knows one)."""
    ld = common.json_ld_article(root)
    canonical = common.canonical_url(root, url)
    page = _Page(root)
    provenance: dict[str, str] = {}

    title, provenance["title"] = _title(page, ld, source)
    author, provenance["author"] = _author(page, ld, source)
    modified = _choose(_time_candidates(page, ld, source, "modified"))
    published = _choose(_time_candidates(page, ld, source, "published"), modified)
    if published:
        provenance["published"] = published.method
    # before the body: taking the body removes noise (comment sections) from the tree
    discussion, count = _discussion(root, ld, canonical, source)
    text, provenance["text"] = _body(root, url, source, extra_body)

    lead = common.first_text(root, ", ".join(source.lead)) if source.lead else None
    if lead and lead[:60] not in text:
        text = f"{lead}\n\n{text}" if text else lead

    amp_of = None
    if re.search(r"(/amp/|\.amp(\.html)?$|[?&]amp(=1)?$|/amp$)", url) and canonical != url:
        amp_of = canonical
    article = Article(
        id=article_id
        or f"{source.name}:url:{common.stable_hash(common.strip_fragment(canonical))}",
        url=url,
        canonical_url=canonical,
        source=source.name,
        title=title,
        author=author,
        published=isoformat(published.value) if published else None,
        modified=isoformat(modified.value) if modified else None,
        language=common.language(root),
        text=text,
        comment_count=0,
        fetched_at=fetched_at,
    )
    return ArticlePage(
        article=article,
        discussion_url=discussion,
        comment_count_meta=count,
        amp_of=amp_of,
        date_only=bool(published and published.date_only),
        provenance=provenance,
    )
