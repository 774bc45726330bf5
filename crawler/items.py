"""The data contract of the crawl: plain dataclasses, one per kind of document.

Items carry plain data only (strings, ints, None), so they pickle, serialise to
JSON and map one-to-one onto the SQLite store and the CSV exports.  Field order
here is the column order of every export.

Times are ISO 8601 strings with an explicit offset in Europe/Berlin local time
(the sites' own zone; naive site times are read as Europe/Berlin).  Ids are
stable across runs: ``<source>:<kind>:<site's own id>``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Literal


@dataclass
class Article:
    """One news article, blog post or official notice.

    id:            stable id, ``<source>:post:<site post id>`` or ``<source>:url:<hash>``
    kind:          always ``"article"``
    url:           the URL the page was fetched from
    canonical_url: ``link[rel=canonical]`` (or og:url), else ``url``
    source:        the site, e.g. ``borncity.com``, ``heise.de``
    title:         headline, without site name suffix
    author:        author name(s), ``"; "``-joined; None when the page names none
    published:     first publication time (ISO 8601 with offset), None if unknown
    modified:      last modification time, None if unknown
    language:      ISO 639-1 code from ``<html lang>``/metadata, default ``de``
    text:          main text, paragraphs separated by blank lines; no ads,
                   navigation, consent banners, related links or comments
    comment_count: number of reader comments extracted for this article
    fetched_at:    when the page was fetched (ISO 8601 with offset)
    """

    kind_name: ClassVar[str] = "article"

    id: str
    url: str
    canonical_url: str
    source: str
    title: str
    author: str | None = None
    published: str | None = None
    modified: str | None = None
    language: str = "de"
    text: str = ""
    comment_count: int = 0
    fetched_at: str = ""
    kind: Literal["article"] = field(default="article")

    def to_dict(self) -> dict[str, Any]:
        return ordered_dict(self)


@dataclass
class Comment:
    """One reader comment (or forum posting) under an article.

    id:          stable id, ``<source>:comment:<site comment id>``
    kind:        always ``"comment"``
    url:         permalink of the comment (``…#comment-N``)
    article_url: canonical URL of the article the comment belongs to
    article_id:  id of that Article
    parent_id:   id of the comment this one replies to; None at top level
    author:      display name as shown on the site
    published:   time of the comment (ISO 8601 with offset), None if unknown
    text:        comment text, paragraphs separated by blank lines; no avatar,
                 "sagt:", reply links or like buttons
    position:    1-based place in the thread in chronological order
                 (time, then site id), the same whether read from HTML or API
    depth:       nesting level, 1 at top level
    fetched_at:  when the comment was fetched (ISO 8601 with offset)
    """

    kind_name: ClassVar[str] = "comment"

    id: str
    url: str
    article_url: str
    article_id: str
    parent_id: str | None
    author: str | None
    published: str | None
    text: str
    position: int = 0
    depth: int = 1
    fetched_at: str = ""
    kind: Literal["comment"] = field(default="comment")

    def to_dict(self) -> dict[str, Any]:
        return ordered_dict(self)


@dataclass
class Thread:
    """What a spider emits per document: the Article and the Comments read for it.

    One Scrapy item per article (not per comment) keeps Scrapy's per-item
    overhead off comment-heavy pages; pipelines see every record through
    :meth:`records`.  Exports and the store hold Articles and Comments.
    """

    article: Article
    comments: list[Comment] = field(default_factory=list)
    # True when every comment of the thread was read (all pages/API pages answered):
    # only then may comments missing from it be recorded as deleted.
    comments_complete: bool = False

    @property
    def id(self) -> str:
        return self.article.id

    def records(self) -> list[Article | Comment]:
        return [self.article, *self.comments]


# Column order of the exports: id and kind first, then the fields as declared.
def columns(cls: type[Article] | type[Comment]) -> list[str]:
    names = [f.name for f in fields(cls)]
    return ["id", "kind", *[n for n in names if n not in ("id", "kind")]]


def ordered_dict(item: Article | Comment) -> dict[str, Any]:
    data = asdict(item)
    return {name: data[name] for name in columns(type(item))}


ARTICLE_COLUMNS = columns(Article)
COMMENT_COLUMNS = columns(Comment)
