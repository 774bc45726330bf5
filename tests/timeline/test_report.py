"""report.html without a browser: escaping, links, CSP, structure."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from pipelines.timeline.report import csp_hash, link, render_report
from pipelines.timeline.summary import TYPE_NAMES


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


def test_web_content_is_escaped(small: dict[str, Any]) -> None:
    page = render_report(small)
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" in page
    tags = parse(page)
    assert [t for t, _ in tags.tags if t in ("script", "img", "iframe", "object")] == ["script"]
    assert not [a for _, a in tags.tags if any(k.startswith("on") for k in a)]
    text = "".join(tags.text)
    assert "<script>window.__pwned=1</script>" in text  # shown as text


def test_only_http_links() -> None:
    assert link("javascript:alert(1)", "x") == "x"
    assert link('https://a.example/?q="><b>', "<b>") == (
        '<a href="https://a.example/?q=&quot;&gt;&lt;b&gt;" rel="noopener noreferrer nofollow">'
        "&lt;b&gt;</a>"
    )


def test_self_contained_with_csp_for_own_script(small: dict[str, Any]) -> None:
    page = render_report(small)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.split("<main>")[0])
    assert "<link" not in page and "@import" not in page
    script = page.split("<script>")[1].split("</script>")[0]
    style = page.split("<style>")[1].split("</style>")[0]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = csp.group(1).replace("&#x27;", "'")
    assert f"script-src {csp_hash(script)};" in policy
    assert f"style-src {csp_hash(style)};" in policy and "default-src 'none'" in policy


def test_structure(small: dict[str, Any]) -> None:
    tags = parse(render_report(small))
    events = [a for t, a in tags.tags if t == "li" and a.get("data-type")]
    assert [a["id"] for a in events] == [e["id"] for e in small["events"]]
    dues = next(a for a in events if a["data-chambers"] == "hwk-duesseldorf")
    assert dues["data-states"] == "Nordrhein-Westfalen" and dues["data-conflict"] == "1"
    rows = [a for t, a in tags.tags if t == "tr" and a.get("data-chamber")]
    assert len(rows) == 53
    buttons = [a for t, a in tags.tags if t == "button" and "chamber" in (a.get("class") or "")]
    assert len(buttons) == 53 and all(a.get("type") == "button" for a in buttons)
    selects = {a["id"] for t, a in tags.tags if t == "select"}
    assert selects == {"f-chamber", "f-state", "f-type", "f-kind"}
    type_options = [
        a["value"] for t, a in tags.tags if t == "option" and a.get("value") in TYPE_NAMES
    ]
    assert type_options == ["outage", "data_breach", "restored"]
    assert sum(1 for t, _ in tags.tags if t == "details") >= len(events)
