"""report.html: one self-contained static page for analysts.

Rendered on the server side from timeline.json with every string from the web
HTML-escaped (``html.escape`` with quotes), so a comment containing
``<script>`` or ``<img onerror=…>`` shows as text; links only for http(s)
URLs.  CSS and JS are inlined from ``data/report.css`` / ``data/report.js``
(no external assets, works from ``file://``), and a Content-Security-Policy
admits exactly that one script and stylesheet by hash, as a second line of
defence.  Without JavaScript every event is still listed and expandable
(``<details>``); the script adds the filters (chamber, state, claim type,
source kind, conflicts only), kept in the URL fragment (``#chamber=hwk-aachen``).
Keyboard: native buttons, selects and ``<summary>`` elements with visible focus.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from pathlib import Path
from string import Template
from typing import Any

from pipelines.atomic import atomic_write
from pipelines.timeline import data_path
from pipelines.timeline.dates import german_date, german_timestamp
from pipelines.timeline.summary import KIND_NAMES, POLARITY_NAMES, TYPE_NAMES

STATUS_NAMES = {
    "affected": "betroffen",
    "partially_affected": "teilweise betroffen",
    "not_affected": "nicht betroffen",
    "unknown": "unbekannt",
}
CONFLICT_NAMES = {"polarity": "Aussage", "status": "Status"}
REVIEW_NAMES = {"confirmed": "bestätigt", "rejected": "verworfen", "corrected": "korrigiert"}


def esc(value: Any) -> str:
    """HTML-escape any value for text and attribute positions ("" for None)."""
    return "" if value is None else escape(str(value), quote=True)


def csp_hash(text: str) -> str:
    """``'sha256-…'`` source expression of an inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    """Nothing loads, only our own inline style and script run."""
    return (
        "default-src 'none'; "
        f"style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def link(url: str | None, text: str) -> str:
    """An ``<a>`` for http(s) URLs; anything else (``javascript:``…) is plain text."""
    if url and url.lower().startswith(("https://", "http://")):
        return f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(text)}</a>'
    return esc(text)


def _options(pairs: list[tuple[str, str]]) -> str:
    return "".join(f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in pairs)


def _date_label(event: dict[str, Any]) -> str:
    text = german_date(event["date"], event["date_precision"]) or "ohne Datum"
    return ("gemeldet " + text) if event["date_inferred"] else text


def _review_badge(review: dict[str, Any] | None) -> str:
    if not review:
        return ""
    action = REVIEW_NAMES.get(review["action"], review["action"])
    return f'<span class="badge review">{esc(action)}: {esc(review["reviewer"])}</span>'


def render_event(event: dict[str, Any], states: dict[str, str], names: dict[str, str]) -> str:
    """One ``<li>`` of the timeline."""
    kinds = sorted({s["kind"] for s in event["sources"]})
    ev_states = sorted({states[c] for c in event["chambers"] if c in states})
    classes = ["event", f"p-{event['polarity']}"]
    if event["conflicts"]:
        classes.append("has-conflict")
    review = event.get("review") or {}
    if review.get("action") == "rejected":
        classes.append("rejected")
    badges = [
        f'<span class="badge type">{esc(TYPE_NAMES[event["type"]])}</span>',
        f'<span class="badge{" unc" if event["polarity"] == "uncertain" else ""}">'
        f"{esc(POLARITY_NAMES[event['polarity']])}</span>",
    ]
    if event["comment_only"]:
        badges.append('<span class="badge comment">nur Kommentare</span>')
    if event["conflicts"]:
        badges.append('<span class="badge conflict">Widerspruch</span>')
    badges.append(_review_badge(review))
    quotes = []
    for s in event["sources"]:
        who = ", ".join(
            x
            for x in (
                KIND_NAMES.get(s["kind"], s["kind"]),
                german_timestamp(s["published"]),
                f"Sprecher: {s['speaker']}" if s["speaker"] else "",
                f"laut {s['attribution']}" if s["attribution"] else "",
                "Kopie" if s["duplicate_of"] else "",
            )
            if x
        )
        quotes.append(
            f"<li><blockquote>{esc(s['quote'])}</blockquote>"
            f'{link(s["url"], s["outlet"])} <span class="meta">({esc(who)})</span></li>'
        )
    conflicts = "".join(
        f'<li><a class="to-event" href="#{esc(c["with"])}">{esc(c["description"])}</a></li>'
        for c in event["conflicts"]
    )
    chambers = ", ".join(names.get(c, c) for c in event["chambers"]) or "Dienstleister / allgemein"
    review_note = ""
    if review:
        review_note = (
            f"<dt>Prüfung</dt><dd>{esc(REVIEW_NAMES.get(review['action'], review['action']))} "
            f"von {esc(review['reviewer'])}"
            + (f" am {esc(review['reviewed_at'])}" if review.get("reviewed_at") else "")
            + (f": {esc(review['note'])}" if review.get("note") else "")
            + "</dd>"
        )
    return (
        f'<li class="{" ".join(classes)}" id="{esc(event["id"])}" '
        f'data-chambers="{esc("|".join(event["chambers"]))}" '
        f'data-states="{esc("|".join(ev_states))}" '
        f'data-type="{esc(event["type"])}" data-kinds="{esc("|".join(kinds))}" '
        f'data-conflict="{1 if event["conflicts"] else 0}">'
        f'<details><summary><time datetime="{esc(event["date"])}">{esc(_date_label(event))}</time> '
        f'{"".join(badges)} <span class="text">{esc(event["summary"])}</span></summary>'
        f'<div class="detail"><dl>'
        f"<dt>Kammern</dt><dd>{esc(chambers)}</dd>"
        f"<dt>Zuverlässigkeit</dt><dd>{esc(event['confidence'])} "
        f"({esc(event['independent_sources'])} unabhängige von "
        f"{esc(event['source_count'])} Quellen)</dd>"
        f"<dt>Zuerst gemeldet</dt><dd>{esc(event['first_reported'])}</dd>"
        + (
            f"<dt>Organisationen</dt><dd>{esc(', '.join(event['organizations']))}</dd>"
            if event["organizations"]
            else ""
        )
        + review_note
        + f"<dt>Kennung</dt><dd><code>{esc(event['id'])}</code></dd></dl>"
        + (f"<p><strong>Widersprüche:</strong></p><ul>{conflicts}</ul>" if conflicts else "")
        + f'<ul class="quotes">{"".join(quotes)}</ul></div></details></li>'
    )


def render_chamber(chamber: dict[str, Any]) -> str:
    """One row of the status table."""
    review = chamber.get("review")
    events = " ".join(
        f'<a class="to-event" href="#{esc(e)}">{i}</a>' for i, e in enumerate(chamber["events"], 1)
    )
    conflict = ' <span class="badge conflict">Widerspruch</span>' if chamber["conflicts"] else ""
    return (
        f'<tr data-chamber="{esc(chamber["id"])}" data-state="{esc(chamber["state"])}">'
        f'<th scope="row"><button type="button" class="chamber" '
        f'data-chamber="{esc(chamber["id"])}">'
        f"{esc(chamber['official_name'])}</button></th>"
        f"<td>{esc(chamber['state'])}</td>"
        f'<td class="status s-{esc(chamber["status"])}" title="{esc(chamber["status_reason"])}">'
        f"{esc(STATUS_NAMES.get(chamber['status'], chamber['status']))}{conflict}</td>"
        f"<td>{esc(german_date(chamber['outage_since'], 'day'))}</td>"
        f"<td>{esc(german_timestamp(chamber['outage_first_reported']))}</td>"
        f"<td>{esc(german_date(chamber['restored_on'], 'day'))}</td>"
        f"<td>{esc(chamber['evidence_count'])}</td>"
        f"<td>{events}</td>"
        f"<td>{_review_badge(review)}</td></tr>"
    )


def render_report(timeline: dict[str, Any]) -> str:
    """The complete HTML page."""
    css = data_path("report.css").read_text("utf-8")
    js = data_path("report.js").read_text("utf-8")
    chambers = timeline["chambers"]
    states = {c["id"]: c["state"] for c in chambers}
    names = {c["id"]: c["official_name"] for c in chambers}
    events = timeline["events"]
    used_chambers = sorted(
        {c for e in events for c in e["chambers"]}, key=lambda c: names.get(c, c)
    )
    used_types = [t for t in TYPE_NAMES if any(e["type"] == t for e in events)]
    used_kinds = [
        k for k in KIND_NAMES if any(s["kind"] == k for e in events for s in e["sources"])
    ]
    conflicts = timeline["conflicts"]
    conflict_html = (
        '<ul class="conflicts-list">'
        + "".join(
            f'<li><span class="badge">{esc(CONFLICT_NAMES.get(c["kind"], c["kind"]))}</span> '
            f'<a class="to-event" href="#{esc(c["events"][0])}">{esc(c["description"])}</a></li>'
            for c in conflicts
        )
        + "</ul>"
        if conflicts
        else "<p>Keine Widersprüche gefunden.</p>"
    )
    rejected = timeline["review"]["rejected_events"]
    rejected_html = ""
    if rejected:
        rejected_html = (
            '<section id="rejected" aria-labelledby="h-rejected"><h2 id="h-rejected">'
            f'Bei der Prüfung verworfen ({len(rejected)})</h2><ol class="events">'
            + "".join(
                render_event(e, states, names).replace(' data-type="', ' data-rejected="', 1)
                for e in rejected
            )
            + "</ol></section>"
        )
    counts = {s: sum(1 for c in chambers if c["status"] == s) for s in STATUS_NAMES}
    window = timeline["incident"]["window"]
    sources = "".join(
        f"<li>{link(s['url'], s['title'] or s['url'])} – {esc(s['outlet'])}, "
        f"{esc(KIND_NAMES.get(s['kind'], s['kind']))}, {esc(german_timestamp(s['published']))}"
        + (" (Kopie)" if s["duplicate_of"] else "")
        + "</li>"
        for s in timeline["sources"]
    )
    values = {
        "csp": esc(content_security_policy(css, js)),
        "css": css,
        "js": js,
        "version": esc(timeline["version"]),
        "title": esc(timeline["incident"]["title"]),
        "provider": esc(timeline["incident"]["provider"]),
        "window": esc(
            f"{german_date(window['start'], 'day')} – {german_date(window['end'], 'day')}"
            if window["start"]
            else "unbekannt"
        ),
        "generated": esc(timeline["generated_at"]),
        "counts": esc(
            f"{len(events)} Ereignisse, {len(timeline['sources'])} Quellen, "
            f"{len(conflicts)} Widersprüche, "
            f"{len(timeline['review']['applied'])} Prüfungen angewandt"
        ),
        "chamber_options": _options([(c, names.get(c, c)) for c in used_chambers]),
        "state_options": _options([(s, s) for s in sorted({c["state"] for c in chambers})]),
        "type_options": _options([(t, TYPE_NAMES[t]) for t in used_types]),
        "kind_options": _options([(k, KIND_NAMES[k]) for k in used_kinds]),
        "event_count": str(len(events)),
        "conflict_count": str(len(conflicts)),
        "conflicts": conflict_html,
        "events": "\n".join(render_event(e, states, names) for e in events),
        "chamber_total": str(len(chambers)),
        "status_counts": esc(", ".join(f"{counts[s]} {STATUS_NAMES[s]}" for s in STATUS_NAMES)),
        "chamber_rows": "\n".join(render_chamber(c) for c in chambers),
        "rejected": rejected_html,
        "source_count": str(len(timeline["sources"])),
        "sources": sources,
    }
    template = Template(data_path("report.html").read_text("utf-8"))
    return template.substitute(values)


def write_report(path: str | Path, timeline: dict[str, Any]) -> None:
    """report.html, atomically."""
    with atomic_write(path) as handle:
        handle.write(render_report(timeline))
