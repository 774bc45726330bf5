"""Polarity and reference rules behind the timeline's conflicts (sentences of their own).

- a negating article inside a named phrase ("kein Abfluss") still negates;
- "kann ausgeschlossen werden" is a denial, "nicht ausgeschlossen" a hedge;
- "ebenso wenig erreichbar wie" is an outage of all chambers named;
- "keine abschließende Aussage" is a hedge;
- a plural subject cut off by "dagegen" ("Andere Kammern | dagegen") stays vague;
- "wegen der Störung nicht ..." does not deny the outage it names as the cause;
- "um ... wieder ... zu bringen" is an aim, not a restoration;
- "wollte ... nicht sagen" declines to answer (uncertain), it denies nothing;
- "auch"/"ebenfalls" replies inherit the claim before them only inside one document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipelines.nlp.facts import extract_records
from tests.nlp.test_rules import triples

Run = Callable[..., dict[str, Any]]


def test_kein_in_a_breach_phrase_negates(facts: Run) -> None:
    f = facts("Die Kammer Trier teilt mit: Bisher ist uns kein Abfluss von Kundendaten bekannt.")
    assert triples(f) == {("data_breach", "negated", ("hwk-trier",))}
    f = facts("Die Kammer Trier meldet einen Abfluss von Kundendaten.")
    assert triples(f) == {("data_breach", "asserted", ("hwk-trier",))}


def test_ruled_out_is_a_denial_not_ruled_out_a_hedge(facts: Run) -> None:
    f = facts("Ein Datenabfluss bei der Kammer Trier kann laut Sprecher ausgeschlossen werden.")
    assert triples(f) == {("data_breach", "negated", ("hwk-trier",))}
    f = facts(
        "Ein Datenabfluss bei der Kammer Trier kann laut Sprecher nicht ausgeschlossen werden."
    )
    assert triples(f) == {("data_breach", "uncertain", ("hwk-trier",))}
    f = facts("Ob ein Datenabfluss bei der Kammer Trier ausgeschlossen werden kann, ist offen.")
    assert triples(f) == {("data_breach", "uncertain", ("hwk-trier",))}


def test_ebenso_wenig_erreichbar_is_an_outage(facts: Run) -> None:
    f = facts("Die Seite der Kammer Trier ist ebenso wenig erreichbar wie die der Kammer Ulm.")
    assert triples(f) == {("outage", "asserted", ("hwk-trier", "hwk-ulm"))}
    f = facts("Die Seite der Kammer Trier ist ebenso erreichbar wie die der Kammer Ulm.")
    assert triples(f) == {("outage", "negated", ("hwk-trier", "hwk-ulm"))}


def test_no_final_statement_is_a_hedge(facts: Run) -> None:
    f = facts(
        "Zu einem Datenabfluss kann die Kammer Trier noch keine abschließende Aussage machen."
    )
    assert triples(f) == {("data_breach", "uncertain", ("hwk-trier",))}


def test_vague_subject_cut_off_by_dagegen_names_no_chamber(facts: Run) -> None:
    f = facts("Die Kammer Trier ist seit heute wieder online. "
              "Andere Kammern rechnen dagegen mit einer Woche Ausfall.")  # fmt: skip
    assert triples(f) == {("restored", "asserted", ("hwk-trier",)), ("outage", "uncertain", ())}
    f = facts("Die Kammer Trier ist seit heute wieder online. "
              "Die Kammer Ulm rechnet dagegen mit einer Woche Ausfall.")  # fmt: skip
    assert ("outage", "uncertain", ("hwk-ulm",)) in triples(f)


def test_outage_named_as_a_cause_is_not_denied(facts: Run) -> None:
    f = facts("Die Kammer Trier ist wieder online. Anmeldungen, die wegen der Störung "
              "nicht fristgerecht eingingen, werden laut Kammer akzeptiert.")  # fmt: skip
    assert triples(f) == {("restored", "asserted", ("hwk-trier",))}
    f = facts("Die Seite der Kammer Trier ist nicht gestört.")
    assert triples(f) == {("outage", "negated", ("hwk-trier",))}


def test_purpose_clause_is_no_restoration(facts: Run) -> None:
    f = facts("„Wir geben alles, um die Seite der Kammer Trier rasch wieder online zu bringen“, "
              "sagte die Sprecherin.")  # fmt: skip
    assert not {t for t in triples(f) if t[0] == "restored"}
    f = facts("Die Seite der Kammer Trier war um 9 Uhr wieder erreichbar.")
    assert triples(f) == {("restored", "asserted", ("hwk-trier",))}


def test_a_refusal_to_answer_is_no_denial(facts: Run) -> None:
    f = facts("Ob die Polizei eingeschaltet wurde, wollte die Kammer Ulm nicht bestätigen.")
    assert triples(f) == {("authority_notified", "uncertain", ("hwk-ulm",))}
    f = facts("Die Kammer Ulm hat die Polizei nicht informiert.")
    assert triples(f) == {("authority_notified", "negated", ("hwk-ulm",))}


def test_ebenfalls_reply_inherits_only_within_its_own_document() -> None:
    def record(doc_id: str, text: str) -> dict[str, Any]:
        return {"id": doc_id, "kind": "comment", "url": f"https://forum.example/t#{doc_id}",
                "published": "2024-01-10T12:00:00+01:00", "text": text}  # fmt: skip

    first = "Die Seite der HWK Trier ist seit heute früh down."
    out = extract_records(
        [
            record("k1", first),
            record("k2", "Ulm ebenfalls."),
            record("k3", first + " Ulm ebenfalls."),
        ]
    )
    got = {f["doc_id"]: triples(f) for f in out}
    assert got["k1"] == {("outage", "asserted", ("hwk-trier",))}
    assert got["k2"] == set()  # a separate reply does not borrow the claim of another comment
    assert got["k3"] == {
        ("outage", "asserted", ("hwk-trier",)),
        ("outage", "asserted", ("hwk-ulm",)),
    }
