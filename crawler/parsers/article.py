"""Article fields from any page: metadata first, site selectors second, a
generic main-text extractor last.

:func:`extract_article` is shared by the news and WordPress parsers.  It
records in ``provenance`` which method produced each field (``jsonld``,
``meta``, ``microdata``, ``selector``, ``extractor``), which the spiders
count in Scrapy stats so that drift of a site's markup shows up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml.etree import _Element

from crawler.dates import BERLIN, isoformat, parse_iso, parse_text_date
from crawler.items import Article
from crawler.parsers import common
from crawler.sources import Source

_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_INT = re.compile(r"\d+")


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


def _stamp(raw: str | None, method: str, assume_local: bool = False) -> _Stamp | None:
    if not raw:
        return None
    raw = raw.strip()
    iso = parse_iso(raw, assume_local=assume_local)
    if iso:
        return _Stamp(iso[0], iso[1], raw.upper().endswith("Z") and not assume_local, method)
    parsed = parse_text_date(raw)
    if parsed:
        has_time = bool(re.search(r"\d{1,2}[:.]\d{2}(?!\.\d)", raw.split(str(parsed.year))[-1]))
        return _Stamp(parsed, not has_time, False, method)
    return None


def _choose(stamps: list[_Stamp]) -> _Stamp | None:
    """The best timestamp: first by method rank, repairing two known traps.

    - A value labelled UTC ("Z") whose wall clock equals another candidate's
      local wall clock is local time mislabelled (golem): take the other.
    - A date-only value is refined by another candidate on the same day with
      a time (WDR: JSON-LD "2024-01-09", page "Stand: 09.01.2024, 17:05 Uhr").
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
            if not other.date_only and other.value.astimezone(BERLIN).date() == day:
                return other
    return best


def _time_candidates(
    root: _Element, ld: dict[str, Any] | None, source: Source, key: str
) -> list[_Stamp]:
    """Publication (key="published") or modification (key="modified") candidates."""
    out: list[_Stamp | None] = []
    if key == "published":
        out.append(_stamp(common.meta(root, "article:published_time"), "meta"))
        if ld:
            out.append(_stamp(ld.get("datePublished"), "jsonld", source.json_ld_time_is_local))
        md = common.microdata(root, "datePublished")
        if md is not None:
            out.append(_stamp(md.get("content") or md.get("datetime"), "microdata"))
        for selector in source.published:
            for el in common.select(root, selector):
                out.append(_stamp(el.get("datetime") or el.get("content"), "selector"))
        out.append(_stamp(common.meta(root, "date", "dc.date", "pubdate", "publishdate"), "meta"))
        # Twenty Ten: <a rel="bookmark" title="08:18"><span class="entry-date">9. Januar 2024</span>
        for link in common.select(root, ".entry-meta a[rel=bookmark], .posted-on a[rel=bookmark]"):
            day = common.text_of(link)
            clock = link.get("title") or ""
            out.append(_stamp(f"{day} {clock}".strip(), "selector"))
        for el in common.select(root, "time.entry-date[datetime], article time[datetime]"):
            out.append(_stamp(el.get("datetime"), "selector"))
    else:
        out.append(_stamp(common.meta(root, "article:modified_time", "og:updated_time"), "meta"))
        if ld:
            out.append(_stamp(ld.get("dateModified"), "jsonld", source.json_ld_time_is_local))
        md = common.microdata(root, "dateModified")
        if md is not None:
            out.append(_stamp(md.get("content") or md.get("datetime"), "microdata"))
        for selector in source.modified_text:
            for el in common.select(root, selector):
                out.append(_stamp(common.text_of(el), "selector"))
        for el in common.select(root, "time.updated[datetime]"):
            out.append(_stamp(el.get("datetime"), "selector"))
    return [s for s in out if s]


def _strip_site(title: str, root: _Element, source: Source) -> str:
    """Cut a trailing " - Site name" (og:site_name, the registry's names)."""
    names = [
        n for n in (common.meta(root, "og:site_name"), source.title, *source.title_suffixes) if n
    ]
    for name in names:
        for sep in (" - ", " | ", " – ", " — "):
            if title.endswith(sep + name):
                return title[: -len(sep + name)].strip()
    return title


def _title(root: _Element, ld: dict[str, Any] | None, source: Source) -> tuple[str, str]:
    title, method = _raw_title(root, ld, source)
    return _strip_site(title, root, source), method


def _raw_title(root: _Element, ld: dict[str, Any] | None, source: Source) -> tuple[str, str]:
    if ld and isinstance(ld.get("headline"), str) and ld["headline"].strip():
        return common.clean_inline(ld["headline"]), "jsonld"
    text = common.first_text(root, *source.title_selectors) if source.title_selectors else None
    if text:
        return text, "selector"
    md = common.microdata(root, "headline")
    if md is not None and common.text_of(md):
        return common.text_of(md), "microdata"
    og = common.meta(root, "og:title", "twitter:title")
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


def _author(root: _Element, ld: dict[str, Any] | None, source: Source) -> tuple[str | None, str]:
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
        found = [
            common.text_of(el)
            for el in common.select(
                root, '[itemprop~="author"] [itemprop~="name"], [itemprop~="author"]'
            )
        ][:1]
        method = "microdata"
    if not found or not found[0]:
        value = common.meta(root, "author", "article:author", "dc.creator")
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
    provenance: dict[str, str] = {}

    title, provenance["title"] = _title(root, ld, source)
    author, provenance["author"] = _author(root, ld, source)
    published = _choose(_time_candidates(root, ld, source, "published"))
    modified = _choose(_time_candidates(root, ld, source, "modified"))
    if published:
        provenance["published"] = published.method
    text, provenance["text"] = _body(root, url, source, extra_body)

    lead = common.first_text(root, ", ".join(source.lead)) if source.lead else None
    if lead and lead[:60] not in text:
        text = f"{lead}\n\n{text}" if text else lead

    discussion = None
    count = None
    if ld:
        discussion = common.absolute(canonical, ld.get("discussionUrl"))
        raw_count = ld.get("commentCount")
        if raw_count is not None and _INT.fullmatch(str(raw_count).strip()):
            count = int(str(raw_count).strip())
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
