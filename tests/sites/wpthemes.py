"""HTML of WordPress single-post pages in several themes, as WordPress 6.4 renders them.

Markup follows WordPress core (``Walker_Comment::html5_comment`` and
``::comment``/``::ping``, ``get_comment_link``, ``get_comments_pagenum_link``,
``paginate_comments_links``, ``rel_canonical``) and the Twenty Ten / Twenty
Twelve comment callbacks, with German (de_DE) strings.  Real-WordPress details
the crawler has to live with, on purpose:

* The post URL shows the NEWEST comment page (``default_comments_page=newest``);
  its "newer" link from page K-1 points to the post URL (``…/#comments``), the
  numbered links of ``paginate_comments_links`` to ``…/comment-page-K/``.
* Comment permalinks carry the page: ``…/comment-page-N/#comment-ID`` (only when
  there is more than one page).
* Core ``rel_canonical`` on ``…/comment-page-N/`` is ``…/comment-page-N/#comments``
  (themes without an SEO plugin); Yoast (theme ``html5``) keeps the permalink.
* Post navigation (``.nav-previous a[rel=prev]``) links to the previous POST.
* Reply links are ``<post-url>?replytocom=ID#respond`` (rel=nofollow).
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal

from tests.sites.wptext import Block, encode_text, render_blocks, render_inlines

BERLIN = timezone(timedelta(hours=1), "CET")  # all fixture times are in January

THEMES = ("html5", "twentyten", "default", "twentytwelve", "kubrick")
GERMAN_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
WP_VERSION = "6.4.2"
THREAD_DEPTH_SETTING = 5  # "Verschachtelte Kommentare bis zu 5 Ebenen"


@dataclass
class WPComment:
    """One comment, pingback or trackback of a fixture post."""

    id: int
    author: str
    time: datetime  # aware, Europe/Berlin
    blocks: list[Block]
    kind: Literal["comment", "pingback", "trackback"] = "comment"
    author_url: str = ""
    parent_id: int = 0
    depth: int = 1
    children: list[WPComment] = field(default_factory=list)
    by_post_author: bool = False
    named_entities: bool = False  # render umlauts as &auml; etc.
    likes: int = 0
    dislikes: int = 0
    page: int = 1  # comment page the comment's thread is on

    def walk(self) -> Iterator[WPComment]:
        """This comment and all replies, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class WPPost:
    """The post a fixture page shows."""

    base_url: str  # scheme://host[:port], no trailing slash
    path: str  # "/2024/01/09/slug/"
    post_id: int
    title: str
    author: str
    author_slug: str
    published: datetime  # aware
    modified: datetime
    body_html: str
    excerpt: str
    site_name: str = "Werkbank Digital"
    site_description: str = "IT-Sicherheit im Handwerk"
    category: tuple[str, str] = ("it-sicherheit", "IT-Sicherheit")
    rest: bool = True  # advertise the REST API in <head>
    header_count: int = 0  # get_comments_number(): comments + pings, all pages
    prev_post: tuple[str, str] = (
        "/2024/01/05/stoerung-bei-kammer-portalen/",
        "Störung bei Kammer-Portalen: erste Hinweise",
    )
    page_comments: bool = True  # "Kommentare in Seiten aufteilen"

    @property
    def url(self) -> str:
        """Permalink."""
        return self.base_url + self.path


@dataclass
class PageView:
    """Which comment page is rendered, and whether at the post URL."""

    cpage: int
    max_page: int
    top: list[WPComment]  # top-level comments and pings of this page, display order
    default_view: bool = False  # True when served at the post URL itself


# ---------------------------------------------------------------------------
# small helpers


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def german_date(dt: datetime) -> str:
    """``get_comment_date()`` in de_DE: ``9. Januar 2024``."""
    return f"{dt.day}. {GERMAN_MONTHS[dt.month - 1]} {dt.year}"


def comment_link(post: WPPost, view: PageView, comment: WPComment) -> str:
    """``get_comment_link()`` inside the comment loop."""
    if post.page_comments and view.max_page > 1:
        return f"{post.url}comment-page-{view.cpage}/#comment-{comment.id}"
    return f"{post.url}#comment-{comment.id}"


def widget_comment_link(post: WPPost, max_page: int, comment: WPComment) -> str:
    """``get_comment_link()`` outside the loop (widgets): the comment's own page."""
    if post.page_comments and max_page > 1:
        return f"{post.url}comment-page-{comment.page}/#comment-{comment.id}"
    return f"{post.url}#comment-{comment.id}"


def pagenum_link(post: WPPost, n: int, max_page: int | None) -> str:
    """``get_comments_pagenum_link(n, max_page)`` with default_comments_page=newest."""
    if max_page is not None and n == max_page:
        return f"{post.url}#comments"
    return f"{post.url}comment-page-{n}/#comments"


def canonical_url(theme: str, post: WPPost, view: PageView) -> str:
    """``link[rel=canonical]``: Yoast keeps the permalink, core adds the comment page."""
    if theme == "html5" or view.default_view or not post.page_comments:
        return post.url
    return pagenum_link(post, view.cpage, None)


def avatar(name: str, size: int) -> str:
    """``get_avatar()`` output (Gravatar, mystery-man default)."""
    digest = hashlib.md5(name.lower().encode("utf-8")).hexdigest()
    base = f"https://secure.gravatar.com/avatar/{digest}"
    return (
        f"<img alt='' src='{base}?s={size}&#038;d=mm&#038;r=g' "
        f"srcset='{base}?s={size * 2}&#038;d=mm&#038;r=g 2x' "
        f"class='avatar avatar-{size} photo' height='{size}' width='{size}' "
        "loading='lazy' decoding='async'/>"
    )


def author_link(comment: WPComment) -> str:
    """``get_comment_author_link()``."""
    name = encode_text(comment.author, named_entities=comment.named_entities)
    if comment.author_url:
        return (
            f"<a href='{_attr(comment.author_url)}' class='url' "
            f"rel='ugc external nofollow'>{name}</a>"
        )
    return name


def reply_link(post: WPPost, comment: WPComment, below_prefix: str) -> str:
    """``get_comment_reply_link()``; empty at the maximum thread depth."""
    if comment.depth >= THREAD_DEPTH_SETTING:
        return ""
    label = _attr(f"Antworte auf {comment.author}")
    return (
        f"<a rel='nofollow' class='comment-reply-link' "
        f"href='{post.url}?replytocom={comment.id}#respond' "
        f'data-commentid="{comment.id}" data-postid="{post.post_id}" '
        f'data-belowelement="{below_prefix}-{comment.id}" data-respondelement="respond" '
        f"data-replyto=\"{label}\" aria-label='{label}'>Antworten</a>"
    )


class _Classes:
    """``comment_class()`` counters (even/odd per comment, thread-even/odd per thread)."""

    def __init__(self) -> None:
        self.alt = 0
        self.thread_alt = 0

    def __call__(self, comment: WPComment, post: WPPost) -> str:
        classes: list[str] = [comment.kind]
        if comment.by_post_author:
            classes += ["byuser", f"comment-author-{post.author_slug}", "bypostauthor"]
        classes += ["odd", "alt"] if self.alt % 2 else ["even"]
        self.alt += 1
        if comment.depth == 1:
            classes += ["thread-odd", "thread-alt"] if self.thread_alt % 2 else ["thread-even"]
            self.thread_alt += 1
        classes.append(f"depth-{comment.depth}")
        if comment.children:
            classes.append("parent")
        return " ".join(classes)


def _ping_label(comment: WPComment) -> str:
    return "Trackback:" if comment.kind == "trackback" else "Pingback:"


def _walker_ping(comment: WPComment, classes: str) -> str:
    """``Walker_Comment::ping()`` (same in HTML5 and XHTML mode); ``</li>`` added by caller."""
    return (
        f'<li id="comment-{comment.id}" class="{classes}">\n'
        f'\t\t\t<div class="comment-body">\n'
        f"\t\t\t\t{_ping_label(comment)} {author_link(comment)} \t\t\t</div>\n\t\t"
    )


# ---------------------------------------------------------------------------
# comment lists per theme


def _html5_list(post: WPPost, view: PageView) -> str:
    cls = _Classes()

    def item(c: WPComment) -> str:
        classes = cls(c, post)
        if c.kind != "comment":
            return _walker_ping(c, classes) + "</li><!-- #comment-## -->\n"
        time_text = f"{german_date(c.time)} um {c.time:%H:%M} Uhr"
        out = (
            f'\t\t<li id="comment-{c.id}" class="{classes}">\n'
            f'\t\t\t<article id="div-comment-{c.id}" class="comment-body">\n'
            '\t\t\t\t<footer class="comment-meta">\n'
            '\t\t\t\t\t<div class="comment-author vcard">\n'
            f"\t\t\t\t\t\t{avatar(c.author, 32)}"
            f'\t\t\t\t\t\t<b class="fn">{author_link(c)}</b> <span class="says">sagt:</span>'
            "\t\t\t\t\t</div><!-- .comment-author -->\n\n"
            '\t\t\t\t\t<div class="comment-metadata">\n'
            f'\t\t\t\t\t\t<a href="{comment_link(post, view, c)}">'
            f'<time datetime="{c.time.isoformat()}">{time_text}</time></a>'
            "\t\t\t\t\t</div><!-- .comment-metadata -->\n\n"
            "\t\t\t\t\t\t\t\t</footer><!-- .comment-meta -->\n\n"
            '\t\t\t\t<div class="comment-content">\n'
            f"\t\t\t\t\t{render_blocks(c.blocks, named_entities=c.named_entities)}"
            "\t\t\t\t</div><!-- .comment-content -->\n\n"
        )
        reply = reply_link(post, c, "div-comment")
        if reply:
            out += f'\t\t\t\t<div class="reply">{reply}</div>'
        out += "\t\t\t</article><!-- .comment-body -->\n"
        if c.children:
            out += '<ol class="children">\n' + "".join(item(ch) for ch in c.children)
            out += "</ol><!-- .children -->\n"
        return out + "</li><!-- #comment-## -->\n"

    return "".join(item(c) for c in view.top)


def _default_list(post: WPPost, view: PageView) -> str:
    """``Walker_Comment::comment()`` (XHTML walker) plus a like/dislike plugin."""
    cls = _Classes()

    def item(c: WPComment) -> str:
        classes = cls(c, post)
        if c.kind != "comment":
            return _walker_ping(c, classes) + "</li><!-- #comment-## -->\n"
        when = f"{german_date(c.time)} um {c.time:%H:%M} Uhr"
        out = (
            f'\t\t<li class="{classes}" id="comment-{c.id}">\n'
            f'\t\t\t\t<div id="div-comment-{c.id}" class="comment-body">\n'
            '\t\t\t\t<div class="comment-author vcard">\n'
            f"\t\t\t{avatar(c.author, 48)}"
            f'\t\t\t<cite class="fn">{author_link(c)}</cite> <span class="says">sagt:</span>'
            "\t\t</div>\n\t\t\n"
            '\t\t<div class="comment-meta commentmetadata">\n'
            f'\t\t\t<a href="{comment_link(post, view, c)}">{when}</a>\t\t</div>\n\n'
            f"\t\t{render_blocks(c.blocks, named_entities=c.named_entities)}"
            f'<div class="cld-like-dislike-wrap cld-template-1">'
            f'<div class="cld-like-wrap cld-common-wrap">'
            f'<a href="javascript:void(0)" class="cld-like-trigger cld-like-dislike-trigger" '
            f'title="Gefällt mir" data-comment-id="{c.id}" data-trigger-type="like" '
            f'data-restriction="cookie"><i class="fas fa-thumbs-up"></i></a>'
            f'<span class="cld-like-count-wrap cld-count-wrap">{c.likes}</span></div>'
            f'<div class="cld-dislike-wrap cld-common-wrap">'
            f'<a href="javascript:void(0)" class="cld-dislike-trigger cld-like-dislike-trigger" '
            f'title="Gefällt mir nicht" data-comment-id="{c.id}" data-trigger-type="dislike" '
            f'data-restriction="cookie"><i class="fas fa-thumbs-down"></i></a>'
            f'<span class="cld-dislike-count-wrap cld-count-wrap">{c.dislikes}</span></div>'
            "</div>\n"
        )
        reply = reply_link(post, c, "div-comment")
        if reply:
            out += f'\n\t\t<div class="reply">{reply}</div>'
        out += "\t\t\t\t</div>\n\t\t\t\t"
        if c.children:
            out += '<ul class="children">\n' + "".join(item(ch) for ch in c.children)
            out += "</ul><!-- .children -->\n"
        return out + "</li><!-- #comment-## -->\n"

    return "".join(item(c) for c in view.top)


def _twentyten_list(post: WPPost, view: PageView) -> str:
    """``twentyten_comment()``."""
    cls = _Classes()

    def item(c: WPComment) -> str:
        classes = cls(c, post)
        if c.kind != "comment":
            return f'\t<li class="post pingback">\n\t\t<p>Pingback: {author_link(c)}</p>\n\t</li>\n'
        when = f"{german_date(c.time)} um {c.time:%H:%M}"
        out = (
            f'\t<li class="{classes}" id="li-comment-{c.id}">\n'
            f'\t\t<div id="comment-{c.id}">\n'
            '\t\t<div class="comment-author vcard">\n'
            f"\t\t\t{avatar(c.author, 40)}"
            f'\t\t\t<cite class="fn">{author_link(c)}</cite> '
            '<span class="says">schreibt:</span>\t\t</div><!-- .comment-author .vcard -->\n\n'
            '\t\t\n\t\t<div class="comment-meta commentmetadata">'
            f'<a href="{comment_link(post, view, c)}">\n\t\t\t{when}\t\t\t</a>'
            "\t\t\t\t\t</div><!-- .comment-meta .commentmetadata -->\n\n"
            f'\t\t\t<div class="comment-body">'
            f"{render_blocks(c.blocks, named_entities=c.named_entities)}</div>\n\n"
            '\t\t\t<div class="reply">\n'
            f"\t\t\t\t{reply_link(post, c, 'comment')}\t\t\t</div><!-- .reply -->\n"
            "\t\t</div><!-- #comment-##  -->\n\n\t\t"
        )
        if c.children:
            out += '<ul class="children">\n' + "".join(item(ch) for ch in c.children)
            out += "</ul><!-- .children -->\n"
        return out + "</li><!-- #comment-## -->\n"

    return "".join(item(c) for c in view.top)


def _twentytwelve_list(post: WPPost, view: PageView) -> str:
    """``twentytwelve_comment()``."""
    cls = _Classes()

    def item(c: WPComment) -> str:
        classes = cls(c, post)
        if c.kind != "comment":
            return (
                f'\t<li class="{classes}" id="comment-{c.id}">\n'
                f"\t\t<p>{_ping_label(c)} {author_link(c)} </p>\n"
                "</li><!-- #comment-## -->\n"
            )
        when = f"{german_date(c.time)} um {c.time:%H:%M}"
        badge = "<span>Autor des Beitrags</span>" if c.by_post_author else ""
        out = (
            f'\t<li class="{classes}" id="li-comment-{c.id}">\n'
            f'\t\t<article id="comment-{c.id}" class="comment">\n'
            '\t\t\t<header class="comment-meta comment-author vcard">\n'
            f"\t\t\t\t{avatar(c.author, 44)}"
            f'<cite><b class="fn">{author_link(c)}</b> {badge}</cite>'
            f'<a href="{comment_link(post, view, c)}">'
            f'<time datetime="{c.time.isoformat()}">{when}</time></a>'
            "\t\t\t</header><!-- .comment-meta -->\n\n"
            '\t\t\t\n\t\t\t<section class="comment-content comment">\n'
            f"\t\t\t\t{render_blocks(c.blocks, named_entities=c.named_entities)}"
            "\t\t\t\t\t\t\t</section><!-- .comment-content -->\n\n"
            '\t\t\t<div class="reply">\n'
        )
        reply = reply_link(post, c, "comment")
        if reply:
            out += f"\t\t\t\t{reply} <span>&darr;</span>"
        out += "\t\t\t</div><!-- .reply -->\n\t\t</article><!-- #comment-## -->\n\t"
        if c.children:
            out += '<ol class="children">\n' + "".join(item(ch) for ch in c.children)
            out += "</ol><!-- .children -->\n"
        return out + "</li><!-- #comment-## -->\n"

    return "".join(item(c) for c in view.top)


def _kubrick_list(post: WPPost, view: PageView) -> str:
    """An old unthreaded Kubrick-style list: ``<cite>Kommentar von X — 09.01, 2024 @ 10:15``."""
    out: list[str] = []
    for i, c in enumerate(view.top):
        alt = ' class="alt"' if i % 2 == 0 else ""
        if c.kind != "comment":
            out.append(
                f'<li{alt} id="comment-{c.id}">\n<cite>{_ping_label(c)} {author_link(c)}</cite>\n'
                "</li>\n"
            )
            continue
        stamp = f"{c.time:%d.%m}, {c.time.year} @ {c.time:%H:%M}"
        body = render_blocks(c.blocks, named_entities=c.named_entities)
        out.append(
            f'<li{alt} id="comment-{c.id}">\n'
            f"<cite>Kommentar von {author_link(c)} &#8212; "
            f'<a href="#comment-{c.id}" title="">{stamp}</a></cite>\n'
            f"<br />\n{body}</li>\n"
        )
    return "".join(out)


# ---------------------------------------------------------------------------
# page parts


def _head(theme: str, post: WPPost, view: PageView) -> str:
    title = encode_text(post.title)
    canonical = canonical_url(theme, post, view)
    parts = [
        "<head>",
        '<meta charset="UTF-8" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        f"<title>{title} &#8211; {encode_text(post.site_name)}</title>"
        if theme != "twentyten"
        else f"<title>{title} | {encode_text(post.site_name)}</title>",
        "<meta name='robots' content='index, follow, max-image-preview:large' />",
        f'<link rel="alternate" type="application/rss+xml" title="{_attr(post.site_name)} '
        f'&raquo; Feed" href="{post.base_url}/feed/" />',
        f'<link rel="alternate" type="application/rss+xml" title="{_attr(post.site_name)} '
        f'&raquo; {title}-Kommentar-Feed" href="{post.url}feed/" />',
        f"<link rel='stylesheet' id='wp-block-library-css' href='{post.base_url}"
        f"/wp-includes/css/dist/block-library/style.min.css?ver={WP_VERSION}' media='all' />",
        f'<script src="{post.base_url}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" '
        'id="jquery-core-js"></script>',
    ]
    if post.rest:
        parts += [
            f'<link rel="https://api.w.org/" href="{post.base_url}/wp-json/" />'
            f'<link rel="alternate" type="application/json" '
            f'href="{post.base_url}/wp-json/wp/v2/posts/{post.post_id}" />',
        ]
    parts += [
        f'<link rel="EditURI" type="application/rsd+xml" title="RSD" '
        f'href="{post.base_url}/xmlrpc.php?rsd" />',
        f'<meta name="generator" content="WordPress {WP_VERSION}" />',
    ]
    if theme != "html5":
        parts.append(f'<link rel="canonical" href="{canonical}" />')
    parts.append(f"<link rel='shortlink' href='{post.base_url}/?p={post.post_id}' />")
    if post.rest:
        from urllib.parse import quote

        enc = quote(post.url, safe="")
        parts.append(
            f'<link rel="alternate" type="application/json+oembed" '
            f'href="{post.base_url}/wp-json/oembed/1.0/embed?url={enc}" />'
        )
    parts.append(_social_meta(theme, post, canonical))
    parts.append("</head>")
    return "\n".join(parts)


def _social_meta(theme: str, post: WPPost, canonical: str) -> str:
    title = encode_text(post.title)
    desc = _attr(post.excerpt)
    pub_utc = post.published.astimezone(UTC).isoformat()
    mod_utc = post.modified.astimezone(UTC).isoformat()
    if theme == "html5":  # Yoast SEO: times in UTC, og:title with site suffix, JSON-LD graph
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "Article",
                    "@id": f"{post.url}#article",
                    "isPartOf": {"@id": post.url},
                    "author": {"name": post.author, "@id": f"{post.base_url}/#/schema/person/1"},
                    "headline": post.title,
                    "datePublished": pub_utc,
                    "dateModified": mod_utc,
                    "mainEntityOfPage": {"@id": post.url},
                    "commentCount": post.header_count,
                    "publisher": {"@id": f"{post.base_url}/#organization"},
                    "articleSection": [post.category[1]],
                    "inLanguage": "de",
                    "potentialAction": [
                        {
                            "@type": "CommentAction",
                            "name": "Comment",
                            "target": [f"{post.url}#respond"],
                        }
                    ],
                },
                {
                    "@type": "WebPage",
                    "@id": post.url,
                    "url": post.url,
                    "name": f"{post.title} - {post.site_name}",
                    "datePublished": pub_utc,
                    "dateModified": mod_utc,
                    "inLanguage": "de",
                },
                {
                    "@type": "Person",
                    "@id": f"{post.base_url}/#/schema/person/1",
                    "name": post.author,
                    "url": f"{post.base_url}/author/{post.author_slug}/",
                },
            ],
        }
        ld = json.dumps(graph, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/")
        return "\n".join(
            [
                "<!-- This site is optimized with the Yoast SEO plugin v21.7 - "
                "https://yoast.com/wordpress/plugins/seo/ -->",
                f'<link rel="canonical" href="{canonical}" />',
                '<meta property="og:locale" content="de_DE" />',
                '<meta property="og:type" content="article" />',
                f'<meta property="og:title" content="{title} - {_attr(post.site_name)}" />',
                f'<meta property="og:description" content="{desc}" />',
                f'<meta property="og:url" content="{post.url}" />',
                f'<meta property="og:site_name" content="{_attr(post.site_name)}" />',
                f'<meta property="article:published_time" content="{pub_utc}" />',
                f'<meta property="article:modified_time" content="{mod_utc}" />',
                f'<meta name="author" content="{_attr(post.author)}" />',
                f'<script type="application/ld+json" class="yoast-schema-graph">{ld}</script>',
                "<!-- / Yoast SEO plugin. -->",
            ]
        )
    if theme == "twentyten":  # Jetpack: UTC times
        return "\n".join(
            [
                "<!-- Jetpack Open Graph Tags -->",
                '<meta property="og:type" content="article" />',
                f'<meta property="og:title" content="{title}" />',
                f'<meta property="og:url" content="{post.url}" />',
                f'<meta property="og:description" content="{desc}" />',
                f'<meta property="article:published_time" content="{pub_utc}" />',
                f'<meta property="article:modified_time" content="{mod_utc}" />',
                f'<meta property="og:site_name" content="{_attr(post.site_name)}" />',
                '<meta property="og:locale" content="de_DE" />',
                "<!-- End Jetpack Open Graph Tags -->",
            ]
        )
    # a simple OG plugin with local times
    return "\n".join(
        [
            "<!-- START - Open Graph and Twitter Card Tags 3.3.1 -->",
            '<meta property="og:locale" content="de_DE"/>',
            f'<meta property="og:site_name" content="{_attr(post.site_name)}"/>',
            f'<meta property="og:title" content="{title}"/>',
            f'<meta property="og:url" content="{post.url}"/>',
            '<meta property="og:type" content="article"/>',
            f'<meta property="og:description" content="{desc}"/>',
            f'<meta property="article:published_time" content="{post.published.isoformat()}"/>',
            f'<meta property="article:modified_time" content="{post.modified.isoformat()}" />',
            f'<meta itemprop="author" content="{_attr(post.author)}"/>',
            "<!-- END - Open Graph and Twitter Card Tags 3.3.1 -->",
        ]
    )


def _respond(post: WPPost) -> str:
    return (
        '<div id="respond" class="comment-respond">\n'
        '<h3 id="reply-title" class="comment-reply-title">Schreibe einen Kommentar '
        '<small><a rel="nofollow" id="cancel-comment-reply-link" '
        f'href="{post.path}#respond" style="display:none;">Antworten abbrechen</a></small></h3>'
        f'<form action="{post.base_url}/wp-comments-post.php" method="post" id="commentform" '
        'class="comment-form">'
        '<p class="comment-notes"><span id="email-notes">Deine E-Mail-Adresse wird nicht '
        "veröffentlicht.</span> Erforderliche Felder sind mit * markiert</p>"
        '<p class="comment-form-comment"><label for="comment">Kommentar *</label> '
        '<textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" '
        'required="required"></textarea></p>'
        '<p class="comment-form-author"><label for="author">Name *</label> '
        '<input id="author" name="author" type="text" value="" size="30" maxlength="245" '
        'autocomplete="name" required="required" /></p>'
        '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" '
        'value="Kommentar abschicken" /> '
        f"<input type='hidden' name='comment_post_ID' value='{post.post_id}' "
        "id='comment_post_ID' />\n"
        "<input type='hidden' name='comment_parent' id='comment_parent' value='0' />\n"
        "</p></form>\t</div><!-- #respond -->\n"
    )


def _nav_links(post: WPPost, view: PageView, prev_label: str, next_label: str) -> str:
    """previous_comments_link() + next_comments_link() wrapped in nav-previous/nav-next."""
    prev = ""
    if view.cpage > 1:
        prev = f'<a href="{pagenum_link(post, view.cpage - 1, view.max_page)}" >{prev_label}</a>'
    nxt = ""
    if view.cpage < view.max_page:
        nxt = f'<a href="{pagenum_link(post, view.cpage + 1, view.max_page)}" >{next_label}</a>'
    return f'<div class="nav-previous">{prev}</div>\n<div class="nav-next">{nxt}</div>'


def _paginate_links(post: WPPost, view: PageView) -> str:
    """``paginate_comments_links()`` (mid_size 2, end_size 1, dots between)."""
    total, current = view.max_page, view.cpage
    links: list[str] = []

    def link(n: int) -> str:
        return f"{post.url}comment-page-{n}/#comments"

    if current > 1:
        links.append(f'<a class="prev page-numbers" href="{link(current - 1)}">&laquo; Zurück</a>')
    dots = False
    for n in range(1, total + 1):
        if n == current:
            links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            dots = True
        elif n <= 1 or n > total - 1 or abs(n - current) <= 2:
            links.append(f'<a class="page-numbers" href="{link(n)}">{n}</a>')
            dots = True
        elif dots:
            links.append('<span class="page-numbers dots">&hellip;</span>')
            dots = False
    if current < total:
        links.append(f'<a class="next page-numbers" href="{link(current + 1)}">Weiter &raquo;</a>')
    return "\n".join(links)


def _recent_comments_widget(post: WPPost, view: PageView, recent: list[WPComment]) -> str:
    items = "".join(
        f'<li class="recentcomments"><span class="comment-author-link">{author_link(c)}</span>'
        f' bei <a href="{widget_comment_link(post, view.max_page, c)}">'
        f"{encode_text(post.title)}</a></li>"
        for c in recent
    )
    return (
        '<li id="recent-comments-2" class="widget-container widget_recent_comments">'
        '<h3 class="widget-title">Neueste Kommentare</h3>'
        f'<ul id="recentcomments">{items}</ul></li>'
    )


def _post_nav(post: WPPost, theme: str) -> str:
    href = post.base_url + post.prev_post[0]
    label = encode_text(post.prev_post[1])
    if theme == "twentyten":
        return (
            '<div id="nav-above" class="navigation">\n'
            f'\t<div class="nav-previous"><a href="{href}" rel="prev">'
            f'<span class="meta-nav">&larr;</span> {label}</a></div>\n'
            '\t<div class="nav-next"></div>\n</div><!-- #nav-above -->\n'
        )
    if theme == "twentytwelve":
        return (
            '<nav class="nav-single">\n<h3 class="assistive-text">Beitragsnavigation</h3>\n'
            f'<span class="nav-previous"><a href="{href}" rel="prev">'
            f'<span class="meta-nav">&larr;</span> {label}</a></span>\n'
            '<span class="nav-next"></span>\n</nav><!-- .nav-single -->\n'
        )
    return (
        '<nav class="navigation post-navigation" aria-label="Beiträge">\n'
        '<h2 class="screen-reader-text">Beitrags-Navigation</h2>\n'
        f'<div class="nav-links"><div class="nav-previous"><a href="{href}" rel="prev">'
        f'<span class="meta-nav">Vorheriger Beitrag</span> {label}</a></div></div>\n</nav>\n'
    )


def _comments_section(theme: str, post: WPPost, view: PageView) -> str:
    n = post.header_count
    title = encode_text(post.title)
    paged = post.page_comments and view.max_page > 1
    if theme == "html5":
        nav = ""
        pag = ""
        if paged:
            nav = (
                '<nav class="navigation comment-navigation" aria-label="Kommentare">\n'
                '<h2 class="screen-reader-text">Kommentar-Navigation</h2>\n<div class="nav-links">'
                + _nav_links(post, view, "Ältere Kommentare", "Neuere Kommentare")
                + "</div>\n</nav>\n"
            )
            pag = (
                '<nav class="navigation comments-pagination" aria-label="Kommentare">\n'
                '<h2 class="screen-reader-text">Kommentar-Navigation</h2>\n<div class="nav-links">'
                + _paginate_links(post, view)
                + "</div>\n</nav>\n"
            )
        return (
            '<div id="comments" class="comments-area">\n'
            f'<h2 class="comments-title">{n} Kommentare zu &#8222;{title}&#8220;</h2>\n'
            f'{nav}<ol class="comment-list">\n{_html5_list(post, view)}'
            "</ol><!-- .comment-list -->\n"
            f"{pag}{_respond(post)}</div><!-- #comments -->\n"
        )
    if theme == "twentyten":
        nav = ""
        if paged:
            nav = (
                '<div class="navigation">\n'
                + _nav_links(
                    post,
                    view,
                    '<span class="meta-nav">&larr;</span> Ältere Kommentare',
                    'Neuere Kommentare <span class="meta-nav">&rarr;</span>',
                )
                + "\n</div> <!-- .navigation -->\n"
            )
        return (
            '<div id="comments">\n'
            f'<h3 id="comments-title">{n} Antworten zu <em>{title}</em></h3>\n{nav}'
            f'<ol class="commentlist">\n{_twentyten_list(post, view)}</ol>\n{nav}'
            f"{_respond(post)}</div><!-- #comments -->\n"
        )
    if theme == "default":
        nav = ""
        if paged:
            nav = (
                '<div class="navigation comment-navigation">\n'
                + _nav_links(post, view, "&laquo; Ältere Kommentare", "Neuere Kommentare &raquo;")
                + "\n</div>\n"
            )
        return (
            '<section id="comments" class="comments-area">\n'
            f'<h3 class="comments-title">{n} Kommentare</h3>\n'
            f'<ol class="commentlist">\n{_default_list(post, view)}</ol>\n{nav}'
            f"{_respond(post)}</section>\n"
        )
    if theme == "twentytwelve":
        nav = ""
        if paged:
            nav = (
                '<nav id="comment-nav-below" class="navigation" role="navigation">\n'
                '<h1 class="assistive-text section-heading">Kommentar-Navigation</h1>\n'
                + _nav_links(post, view, "&larr; Ältere Kommentare", "Neuere Kommentare &rarr;")
                + "\n</nav>\n"
            )
        return (
            '<div id="comments" class="comments-area">\n'
            f'<h2 class="comments-title">\n{n} Gedanken zu '
            f"&#8222;<span>{title}</span>&#8220;\t\t</h2>\n"
            f'<ol class="commentlist">\n{_twentytwelve_list(post, view)}'
            "</ol><!-- .commentlist -->\n"
            f"{nav}{_respond(post)}</div><!-- #comments .comments-area -->\n"
        )
    if theme == "kubrick":
        return (
            f'<h3 id="comments">{n} Antworten zu &#8220;{title}&#8221;</h3>\n'
            f'<ol id="commentlist" class="commentlist">\n{_kubrick_list(post, view)}</ol>\n'
            f"{_respond(post)}"
        )
    raise ValueError(f"unknown theme {theme!r}")


def _body_classes(post: WPPost) -> str:
    return f"post-template-default single single-post postid-{post.post_id} single-format-standard"


def _post_classes(post: WPPost) -> str:
    return (
        f"post-{post.post_id} post type-post status-publish format-standard hentry "
        f"category-{post.category[0]}"
    )


def render_page(theme: str, post: WPPost, view: PageView, recent: list[WPComment]) -> str:
    """The complete HTML of one post page (one comment page) in ``theme``."""
    title = encode_text(post.title)
    pub = post.published
    author_a = (
        f'<a class="url fn n" href="{post.base_url}/author/{post.author_slug}/" '
        f'title="Alle Beiträge von {_attr(post.author)} anzeigen">{encode_text(post.author)}</a>'
    )
    comments = _comments_section(theme, post, view)
    if theme == "twentyten":
        article = (
            '<div id="container"><div id="content" role="main">\n'
            + _post_nav(post, theme)
            + f'<div id="post-{post.post_id}" class="{_post_classes(post)}">\n'
            f'<h1 class="entry-title">{title}</h1>\n'
            '<div class="entry-meta">\n<span class="meta-prep meta-prep-author">Veröffentlicht am'
            f'</span> <a href="{post.url}" title="{pub:%H:%M}" rel="bookmark">'
            f'<span class="entry-date">{german_date(pub)}</span></a> '
            '<span class="meta-sep">von</span> '
            f'<span class="author vcard">{author_a}</span></div><!-- .entry-meta -->\n'
            f'<div class="entry-content">\n{post.body_html}\n</div><!-- .entry-content -->\n'
            '<div class="entry-utility">Dieser Eintrag wurde veröffentlicht in '
            f'<a href="{post.base_url}/category/{post.category[0]}/" rel="category tag">'
            f"{post.category[1]}</a>.</div>\n"
            f"</div><!-- #post-## -->\n{comments}</div><!-- #content --></div><!-- #container -->\n"
            '<div id="primary" class="widget-area" role="complementary"><ul class="xoxo">'
            + _recent_comments_widget(post, view, recent)
            + "</ul></div>\n"
        )
    elif theme == "twentytwelve":
        article = (
            '<div id="primary" class="site-content"><div id="content" role="main">\n'
            f'<article id="post-{post.post_id}" class="{_post_classes(post)}">\n'
            '<header class="entry-header">\n'
            f'<h1 class="entry-title">{title}</h1>\n'
            '<div class="comments-link"><a href="'
            f'{post.url}#comments">{post.header_count} Antworten</a></div>\n</header>\n'
            f'<div class="entry-content">\n{post.body_html}\n</div><!-- .entry-content -->\n'
            '<footer class="entry-meta">Dieser Beitrag wurde unter '
            f'<a href="{post.base_url}/category/{post.category[0]}/" rel="category tag">'
            f"{post.category[1]}</a> veröffentlicht am "
            f'<a href="{post.url}" title="{pub:%H:%M}" rel="bookmark">'
            f'<time class="entry-date" datetime="{pub.isoformat()}">{german_date(pub)}</time></a>'
            f'<span class="by-author"> von <span class="author vcard">{author_a}</span></span>.'
            "</footer><!-- .entry-meta -->\n</article><!-- #post -->\n"
            + _post_nav(post, theme)
            + comments
            + "</div><!-- #content --></div><!-- #primary -->\n"
            '<div id="secondary" class="widget-area" role="complementary"><ul>'
            + _recent_comments_widget(post, view, recent)
            + "</ul></div>\n"
        )
    else:  # html5, default, kubrick: a generic modern theme around the comments
        date_html = (
            f'<time class="entry-date published" datetime="{pub.isoformat()}">'
            f"{german_date(pub)}</time>"
            f'<time class="updated" datetime="{post.modified.isoformat()}">'
            f"{german_date(post.modified)}</time>"
        )
        article = (
            '<main id="main" class="site-main">\n'
            f'<article id="post-{post.post_id}" class="{_post_classes(post)}">\n'
            '<header class="entry-header">\n'
            f'<h1 class="entry-title">{title}</h1>\n'
            f'<div class="entry-meta"><span class="posted-on">Veröffentlicht am {date_html}'
            f'</span><span class="byline"> von <span class="author vcard">{author_a}</span>'
            "</span></div>\n</header><!-- .entry-header -->\n"
            f'<div class="entry-content">\n{post.body_html}\n</div><!-- .entry-content -->\n'
            '<footer class="entry-footer"><span class="cat-links">Veröffentlicht in '
            f'<a href="{post.base_url}/category/{post.category[0]}/" rel="category tag">'
            f"{post.category[1]}</a></span></footer>\n</article><!-- #post-{post.post_id} -->\n"
            + _post_nav(post, theme)
            + comments
            + "</main><!-- #main -->\n"
        )
    return (
        '<!DOCTYPE html>\n<html lang="de-DE">\n'
        + _head(theme, post, view)
        + f'\n<body class="{_body_classes(post)}">\n<div id="page" class="site">\n'
        '<header id="masthead" class="site-header"><p class="site-title">'
        f'<a href="{post.base_url}/" rel="home">{encode_text(post.site_name)}</a></p>'
        f'<p class="site-description">{encode_text(post.site_description)}</p></header>\n'
        + article
        + '<footer id="colophon" class="site-footer"><div class="site-info">'
        f'<a href="{post.base_url}/impressum/">Impressum</a> | '
        f'<a href="{post.base_url}/datenschutz/">Datenschutz</a></div></footer>\n'
        "</div><!-- #page -->\n</body>\n</html>\n"
    )


def render_content(comment: WPComment) -> str:
    """``content.rendered`` of the REST API (``comment_text`` filters, no plugin markup)."""
    return render_blocks(comment.blocks, named_entities=comment.named_entities)


__all__ = [
    "BERLIN",
    "THEMES",
    "PageView",
    "WPComment",
    "WPPost",
    "canonical_url",
    "comment_link",
    "german_date",
    "pagenum_link",
    "render_content",
    "render_inlines",
    "render_page",
]
