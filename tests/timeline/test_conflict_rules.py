"""Conflict and status rules on scenarios of their own (not the sample corpus' wording).

- authority notifications without a chamber are by different parties: no conflict;
- a hedge followed by a later confirmation from an equal or stronger source is news flow;
  a document that confirms and also quotes its earlier question is an update;
- "unclear whether data flowed out", then the chamber: "no evidence of an outflow" is
  progress, while a later "cannot be ruled out" by a stronger source walks a denial back;
- a comment-only report does not contradict a chamber's own notice (no conflict);
- "site works, only e-mail is down" is no contradiction of an e-mail-only outage;
- a restoration followed by a later outage report was no brief outage.
"""

from __future__ import annotations

from typing import Any

from pipelines.timeline.build import build_timeline

GENERATED_AT = "2024-02-01T10:00:00+01:00"


def doc(doc_id: str, url: str, published: str, kind: str = "article") -> dict[str, Any]:
    """An article (or notice) row as the store gives it."""
    return {
        "id": doc_id,
        "kind": kind,
        "url": url,
        "canonical_url": url,
        "title": doc_id,
        "author": None,
        "published": published,
        "text": f"Text von {doc_id}.",
    }


def comment(doc_id: str, article: dict[str, Any], published: str) -> dict[str, Any]:
    """A reader comment under ``article``."""
    return {
        "id": doc_id,
        "kind": "comment",
        "url": article["url"] + "#" + doc_id,
        "article_id": article["id"],
        "parent_id": None,
        "author": "Leser",
        "published": published,
        "text": f"Kommentar {doc_id}.",
    }


def claim(
    type_: str, polarity: str, chambers: list[str], text: str, day: str | None = None
) -> dict[str, Any]:
    """One claim of a facts line."""
    return {
        "type": type_,
        "polarity": polarity,
        "chambers": chambers,
        "date": {"value": day, "precision": "day"} if day else None,
        "speaker": None,
        "attribution": None,
        "evidence": {"text": text, "start": 0, "end": len(text)},
    }


def build(docs: list[dict[str, Any]], claims: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The timeline of these documents with these claims per document id."""
    by_id = {d["id"]: d for d in docs}
    facts = [
        {
            "doc_id": did,
            "url": by_id[did]["url"],
            "kind": by_id[did]["kind"],
            "chambers": [],
            "dates": [],
            "claims": cs,
            "organizations": [],
            "people": [],
        }
        for did, cs in claims.items()
    ]
    return build_timeline(
        facts,
        articles=[d for d in docs if d["kind"] != "comment"],
        comments=[d for d in docs if d["kind"] == "comment"],
        generated_at=GENERATED_AT,
    )


def conflicts_of(tl: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    events = {e["id"]: e for e in tl["events"]}
    return [c for c in tl["conflicts"] if any(events[i]["type"] == type_ for i in c["events"])]


def status(tl: dict[str, Any], chamber_id: str) -> str:
    return str(next(c["status"] for c in tl["chambers"] if c["id"] == chamber_id))


A = doc("x:a", "https://www.tagesblatt.example/a", "2024-01-09T08:00:00+01:00")
B = doc("x:b", "https://www.nachrichten.example/b", "2024-01-10T08:00:00+01:00")
C = doc("x:c", "https://www.rundschau.example/c", "2024-01-11T08:00:00+01:00")
ULM = doc("x:n", "https://www.hwk-ulm.example/n", "2024-01-12T08:00:00+01:00", kind="notice")


def test_chamberless_authority_reports_do_not_contradict_each_other() -> None:
    tl = build(
        [A, B],
        {
            "x:a": [
                claim(
                    "authority_notified",
                    "asserted",
                    [],
                    "Mehrere Kammern haben die Datenschutzaufsicht eingeschaltet.",
                )
            ],
            "x:b": [
                claim(
                    "authority_notified",
                    "negated",
                    [],
                    "Eine Strafanzeige hat der Betreiber nach eigener Aussage nicht gestellt.",
                )
            ],
        },
    )
    assert conflicts_of(tl, "authority_notified") == []
    # for the same named chamber it stays a contradiction
    tl = build(
        [A, B],
        {
            "x:a": [
                claim(
                    "authority_notified",
                    "asserted",
                    ["hwk-ulm"],
                    "Die Kammer Ulm hat die Polizei informiert.",
                )
            ],
            "x:b": [
                claim(
                    "authority_notified",
                    "negated",
                    ["hwk-ulm"],
                    "Die Kammer Ulm hat keine Anzeige erstattet.",
                )
            ],
        },
    )
    assert len(conflicts_of(tl, "authority_notified")) == 1


def test_hedge_then_confirmation_is_news_flow_not_a_conflict() -> None:
    # A guesses on 9.1., B confirms on 10.1., C hedges on 11.1. but the notice confirms on 12.1.
    tl = build(
        [A, B, C, ULM],
        {
            "x:a": [claim("attack", "uncertain", [], "Steckt ein Hackerangriff dahinter?")],
            "x:b": [claim("attack", "asserted", [], "Der Betreiber bestätigte den Angriff.")],
            "x:c": [claim("attack", "uncertain", [], "Ursache soll ein Angriff gewesen sein.")],
            "x:n": [claim("attack", "asserted", [], "Unser Dienstleister wurde angegriffen.")],
        },
    )
    assert conflicts_of(tl, "attack") == []
    # without the later notice, C's hedge walks B's confirmation back
    tl = build(
        [A, B, C],
        {
            "x:a": [claim("attack", "uncertain", [], "Steckt ein Hackerangriff dahinter?")],
            "x:b": [claim("attack", "asserted", [], "Der Betreiber bestätigte den Angriff.")],
            "x:c": [claim("attack", "uncertain", [], "Ob es ein Angriff war, ist wieder offen.")],
        },
    )
    assert len(conflicts_of(tl, "attack")) == 1


def test_an_update_that_quotes_its_own_question_is_no_walk_back() -> None:
    tl = build(
        [A, B, C],
        {
            "x:a": [claim("attack", "uncertain", [], "Ein Hackerangriff?")],
            "x:b": [claim("attack", "asserted", [], "Der Angriff ist bestätigt.")],
            "x:c": [
                claim("attack", "uncertain", [], "Wir fragten gestern: ein Hackerangriff?"),
                claim("attack", "asserted", [], "Inzwischen ist der Angriff bestätigt."),
            ],
        },
    )
    assert conflicts_of(tl, "attack") == []


def test_unclear_then_no_evidence_is_progress_but_a_later_stronger_hedge_conflicts() -> None:
    tl = build(
        [A, ULM],
        {
            "x:a": [
                claim(
                    "data_breach",
                    "uncertain",
                    ["hwk-ulm"],
                    "Ob Kundendaten betroffen sind, weiß man in Ulm noch nicht.",
                )
            ],
            "x:n": [
                claim(
                    "data_breach",
                    "negated",
                    ["hwk-ulm"],
                    "Es gibt keine Hinweise auf einen Abfluss von Daten.",
                )
            ],
        },
    )
    assert conflicts_of(tl, "data_breach") == []
    tl = build(
        [A, ULM],
        {
            "x:a": [
                claim(
                    "data_breach",
                    "negated",
                    ["hwk-ulm"],
                    "Daten sind laut Ulmer Kammer nicht abgeflossen.",
                )
            ],
            "x:n": [
                claim(
                    "data_breach",
                    "uncertain",
                    ["hwk-ulm"],
                    "Ein Abfluss lässt sich nicht ausschließen.",
                )
            ],
        },
    )
    assert len(conflicts_of(tl, "data_breach")) == 1


def test_comment_only_report_does_not_contradict_a_chambers_notice() -> None:
    under = comment("x:k", A, "2024-01-12T09:00:00+01:00")
    tl = build(
        [A, ULM, under],
        {
            "x:n": [
                claim("outage", "asserted", ["hwk-ulm"], "Unsere Seite ist gestört.", "2024-01-12")
            ],
            "x:k": [
                claim(
                    "outage", "negated", ["hwk-ulm"], "Ulm geht bei mir einwandfrei.", "2024-01-12"
                )
            ],
        },
    )
    assert tl["conflicts"] == []
    (event,) = [e for e in tl["events"] if e["polarity"] == "negated"]
    assert event["comment_only"] is True
    # against an article it stays a (visible) conflict
    tl = build(
        [A, C, under],
        {
            "x:c": [
                claim(
                    "outage", "asserted", ["hwk-ulm"], "Die Ulmer Seite ist gestört.", "2024-01-12"
                )
            ],
            "x:k": [
                claim(
                    "outage", "negated", ["hwk-ulm"], "Ulm geht bei mir einwandfrei.", "2024-01-12"
                )
            ],
        },
    )
    assert len(tl["conflicts"]) == 1


def test_site_works_only_mail_is_down_is_no_contradiction() -> None:
    text = "In Ulm ist es umgekehrt: die Website läuft, nur die E-Mail geht nicht."
    tl = build(
        [A, B],
        {
            "x:a": [
                claim("outage", "negated", ["hwk-ulm"], text, "2024-01-09"),
                claim("outage", "asserted", ["hwk-ulm"], text, "2024-01-09"),
            ],
            "x:b": [
                claim(
                    "outage",
                    "asserted",
                    ["hwk-ulm"],
                    "In Ulm sind nur die Postfächer gestört.",
                    "2024-01-09",
                )
            ],
        },
    )
    assert tl["conflicts"] == []
    assert status(tl, "hwk-ulm") == "partially_affected"


def test_restored_then_down_again_is_no_brief_outage() -> None:
    tl = build(
        [A, B, C],
        {
            "x:a": [
                claim("outage", "asserted", ["hwk-ulm"], "Die Ulmer Seite ist weg.", "2024-01-08")
            ],
            "x:b": [
                claim("restored", "asserted", ["hwk-ulm"], "Ulm ist wieder online.", "2024-01-09")
            ],
        },
    )
    assert status(tl, "hwk-ulm") == "partially_affected"
    tl = build(
        [A, B, C],
        {
            "x:a": [
                claim("outage", "asserted", ["hwk-ulm"], "Die Ulmer Seite ist weg.", "2024-01-08")
            ],
            "x:b": [
                claim("restored", "asserted", ["hwk-ulm"], "Ulm ist wieder online.", "2024-01-09")
            ],
            "x:c": [
                claim(
                    "outage", "asserted", ["hwk-ulm"], "Ulm ist schon wieder offline.", "2024-01-11"
                )
            ],
        },
    )
    assert status(tl, "hwk-ulm") == "affected"
