"""Rules for the held-out error classes of issue #3, on sentences of their own, and
``extract --jobs`` giving the same facts in the same order as one process."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crawler.cli import main
from pipelines.nlp.facts import extract_records
from tests.nlp.conftest import statuses

Facts = dict[str, Any]


def triples(f: Facts) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(c["type"], c["polarity"], tuple(c["chambers"])) for c in f["claims"]}


def test_plural_city_list_reporting_problems_is_an_outage(facts: Callable[..., Facts]) -> None:
    f = facts("Die Handwerkskammern Ulm, Konstanz und Freiburg haben seit Dienstag "
              "Probleme mit ihren Webseiten.")  # fmt: skip
    assert ("outage", "asserted", ("hwk-freiburg", "hwk-konstanz", "hwk-ulm")) in triples(f)
    assert statuses(f) == {"hwk-freiburg": "affected", "hwk-konstanz": "affected",
                           "hwk-ulm": "affected"}  # fmt: skip


def test_problems_without_a_website_are_no_outage(facts: Callable[..., Facts]) -> None:
    f = facts("Die Handwerkskammer Ulm hat Probleme, genug Lehrlinge zu finden.")
    assert not any(c["type"] == "outage" for c in f["claims"])


def test_konjunktiv_of_a_chamber_speaking_about_itself_is_asserted(
    facts: Callable[..., Facts],
) -> None:
    f = facts(
        "Die Handwerkskammer Kassel teilte am Donnerstag mit, ihre Website sei wieder "
        "erreichbar. Die Handwerkskammer Erfurt erklärte, sie sei nicht betroffen."
    )
    assert ("restored", "asserted", ("hwk-kassel",)) in triples(f)
    assert ("outage", "negated", ("hwk-erfurt",)) in triples(f)


def test_konjunktiv_without_a_source_stays_uncertain(facts: Callable[..., Facts]) -> None:
    f = facts("Die Website der Handwerkskammer Kassel sei wieder erreichbar.")
    assert ("restored", "uncertain", ("hwk-kassel",)) in triples(f)


def test_hearsay_from_an_anonymous_person_is_uncertain(facts: Callable[..., Facts]) -> None:
    f = facts("Mein Schwager arbeitet bei der HWK Trier, dort sind angeblich keine Daten weg. "
              "Laut einem Bekannten bei der Handwerkskammer Koblenz wurden Adressdaten "
              "gestohlen.", kind="comment")  # fmt: skip
    polarities = {c["polarity"] for c in f["claims"] if c["type"] == "data_breach"}
    assert polarities == {"uncertain"}


def test_named_source_and_definite_adjective_are_no_hearsay(facts: Callable[..., Facts]) -> None:
    f = facts(
        "Unsere Website ist offline, E-Mails an die bekannten Adressen erreichen uns "
        "nicht. Laut einem Sprecher der Handwerkskammer Trier sind Daten abgeflossen."
    )
    assert ("outage", "asserted") in {(c["type"], c["polarity"]) for c in f["claims"]}
    assert ("data_breach", "asserted", ("hwk-trier",)) in triples(f)


def test_article_about_something_else_yields_no_claims(facts: Callable[..., Facts]) -> None:
    f = facts(
        "Eisige Nacht\n\nIn Leipzig hat eine Metzgerei am Montag trotz Schnee geöffnet. "
        "Die Filiale am Markt bleibt geschlossen, weil der Strom ausgefallen ist."
    )
    assert f["claims"] == []


def test_partial_outage_after_a_restore_is_an_outage(facts: Callable[..., Facts]) -> None:
    f = facts("In Kassel ist die Kammerseite wieder da, nur das Postfach hängt noch.",
              kind="comment")  # fmt: skip
    got = {(c["type"], c["polarity"]) for c in f["claims"]}
    assert {("restored", "asserted"), ("outage", "asserted")} <= got


def test_brought_to_the_police_is_authority_notified(facts: Callable[..., Facts]) -> None:
    f = facts("Die Handwerkskammer Erfurt hat den Angriff bei der Polizei zur Anzeige gebracht.")
    assert ("authority_notified", "asserted", ("hwk-erfurt",)) in triples(f)


def test_authority_in_contact_is_notified_but_a_company_alone_is_not(
    facts: Callable[..., Facts],
) -> None:
    f = facts("Das LKA steht mit dem Dienstleister in Kontakt.")
    assert ("authority_notified", "asserted") in {(c["type"], c["polarity"]) for c in f["claims"]}
    g = facts("Die Handwerkskammer Kassel steht mit dem Dienstleister in Kontakt.")
    assert not any(c["type"] == "authority_notified" for c in g["claims"])


def test_attack_on_another_incident_said_by_a_chamber_is_not_claimed(
    facts: Callable[..., Facts],
) -> None:
    f = facts("Die Handwerkskammer Südwestfalen betont, dass sie mit dem Angriff auf die "
              "Südwestfalen IT nichts zu tun habe.")  # fmt: skip
    assert not any(c["type"] == "attack" for c in f["claims"])


def test_extract_jobs_gives_the_same_facts_in_order(tmp_path: Path) -> None:
    docs = Path(__file__).parent / "data" / "dev_docs.jsonl"
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["extract", str(docs), "-o", str(one)]) == 0
    assert main(["extract", str(docs), "-o", str(two), "--jobs", "2", "--batch-size", "16"]) == 0
    rows = one.read_text("utf-8").splitlines()
    assert len(rows) == 110
    assert two.read_text("utf-8").splitlines() == rows
    ids = [json.loads(r)["doc_id"] for r in rows]
    assert ids == [json.loads(line)["id"] for line in docs.read_text("utf-8").splitlines()]


def test_extract_records_parallel_streams_in_input_order() -> None:
    records = [
        {"id": f"d{i}", "kind": "comment", "url": "", "published": None,
         "text": f"Die HWK Kassel ist seit {i % 5 + 2} Tagen offline."}
        for i in range(40)
    ]  # fmt: skip
    serial = list(extract_records(records, batch_size=8))
    parallel = list(extract_records(iter(records), batch_size=8, jobs=2))
    assert [f["doc_id"] for f in parallel] == [f"d{i}" for i in range(40)]
    assert parallel == serial
