"""Claims: type, polarity (negation, hedging, questions, Konjunktiv, sarcasm), links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.nlp.conftest import claim_set

Run = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Website der Handwerkskammer Aachen ist nicht erreichbar.", {("outage", "asserted")}),
        ("Die Website der Handwerkskammer Aachen ist wieder erreichbar.",
         {("restored", "asserted")}),
        ("Die Website der Handwerkskammer Aachen ist noch nicht wieder erreichbar.",
         {("restored", "negated")}),
        ("Die Website der Handwerkskammer Aachen soll Ende Januar wieder erreichbar sein.",
         {("restored", "uncertain")}),
        ("Ein Abfluss von Daten ist nicht ausgeschlossen.", {("data_breach", "uncertain")}),
        ("Ein Datenabfluss ist nicht auszuschließen.", {("data_breach", "uncertain")}),
        ("Es gibt bislang keine Hinweise auf einen Datenabfluss.", {("data_breach", "negated")}),
        ("Nach derzeitigem Stand sind keine Daten abgeflossen.", {("data_breach", "negated")}),
        ("Vermutlich wurden Daten gestohlen.", {("data_breach", "uncertain")}),
        ("Die Angreifer sollen Daten kopiert haben.", {("data_breach", "uncertain")}),
        ("Ob Daten abgeflossen sind, ist unklar.", {("data_breach", "uncertain")}),
        ("Wurden Daten gestohlen?", {("data_breach", "uncertain")}),
        ("Prüfungen und Kurse finden wie geplant statt.", {("services_continue", "asserted")}),
        ("Die Kurse finden nicht statt.", {("services_continue", "negated")}),
        ("Die Lehrgänge wurden abgesagt.", {("services_continue", "negated")}),
        ("Die Kammer ist telefonisch erreichbar.", {("services_continue", "asserted")}),
        ("Die Kammer hat den Landesbeauftragten für Datenschutz informiert.",
         {("authority_notified", "asserted")}),
        ("Die Kammer hat Strafanzeige gestellt.", {("authority_notified", "asserted")}),
        ("Der IT-Dienstleister wurde Opfer eines Cyberangriffs.", {("attack", "asserted")}),
        ("Die Systeme wurden nicht gehackt.", {("attack", "negated")}),
    ],
)  # fmt: skip
def test_type_and_polarity(facts: Run, text: str, expected: set[tuple[str, str]]) -> None:
    assert claim_set(facts(text)) == expected


def test_konjunktiv_unattributed_is_uncertain(facts: Run) -> None:
    f = facts("Ein Leser meint, die Daten seien längst abgeflossen.", kind="comment")
    assert claim_set(f) == {("data_breach", "uncertain")}


def test_konjunktiv_from_official_speaker_keeps_polarity(facts: Run) -> None:
    f = facts("Es seien keine Daten abgeflossen, sagte Sprecherin Anna Berg.")
    assert claim_set(f) == {("data_breach", "negated")}
    assert f["claims"][0]["speaker"] == "Anna Berg"


def test_konjunktiv_continues_official_speech_of_previous_sentence(facts: Run) -> None:
    f = facts(
        "Die Prüfungen finden statt, sagte Hauptgeschäftsführer Peter Schmitz. "
        "Es gebe keine Hinweise auf einen Datenabfluss."
    )
    assert claim_set(f) == {("services_continue", "asserted"), ("data_breach", "negated")}


@pytest.mark.parametrize(
    "text",
    [
        "Na toll, die Website ist wieder erreichbar.",
        "Ja klar, die Website ist wieder erreichbar.",
        "Die Website ist wieder erreichbar /s",
        'Die Website ist wieder "erreichbar".',
    ],
)
def test_sarcasm_in_comments_is_not_asserted(facts: Run, text: str) -> None:
    assert claim_set(facts(text, kind="comment")) == {("restored", "uncertain")}


def test_sarcasm_cue_in_article_is_literal(facts: Run) -> None:
    assert claim_set(facts("Na toll, die Website ist wieder erreichbar.")) == {
        ("restored", "asserted")
    }


def test_other_incident_claims_are_kept_out(facts: Run) -> None:
    f = facts(
        "Im Oktober 2023 legte ein Angriff auf die Südwestfalen IT über 100 Kommunen lahm. "
        "Damals waren Bürgerdienste wochenlang offline. "
        "Die Handwerkskammer Aachen ist seit Montag offline."
    )
    assert [(c["type"], c["polarity"], c["chambers"]) for c in f["claims"]] == [
        ("outage", "asserted", ["hwk-aachen"])
    ]
    assert {(o["name"], o["type"]) for o in f["organizations"]} == {
        ("Südwestfalen IT", "other_incident")
    }


def test_claim_fields_date_speaker_attribution_evidence(facts: Run) -> None:
    text = (
        "Laut WDR ist die Website der Handwerkskammer Köln seit dem 8. Januar 2024 offline. "
        "Prüfungen finden statt, sagt Jan Meier, Sprecher der Handwerkskammer Köln."
    )
    f = facts(text)
    outage = next(c for c in f["claims"] if c["type"] == "outage")
    assert outage["chambers"] == ["hwk-koeln"]
    assert outage["date"] == {"value": "2024-01-08", "precision": "day"}
    assert outage["attribution"] == "WDR"
    ev = outage["evidence"]
    assert text[ev["start"] : ev["end"]] == ev["text"]
    assert ev["start"] == 0 and ev["text"].endswith("offline.")
    assert text.index("Jan Meier") == 112
    cont = next(c for c in f["claims"] if c["type"] == "services_continue")
    assert cont["speaker"] == "Jan Meier"
    assert f["people"] == [
        {
            "name": "Jan Meier",
            "role": "Sprecher",
            "affiliation": "hwk-koeln",
            "mentions": [{"text": "Jan Meier", "start": 112, "end": 121}],
        }
    ]


def test_offtopic_chatter_yields_no_claim(facts: Run) -> None:
    assert (
        facts("Bei mir zuhause ist das Internet auch ständig down.", kind="comment")["claims"] == []
    )
