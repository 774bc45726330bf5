"""Claim and status rules: reference resolution, negation scope, attribution, ellipsis.

Every sentence here is written for these tests (none is taken from the development set);
the expected readings follow tests/nlp/data/README.md (K2-K4, C5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pipelines.nlp.facts import extract_records
from tests.nlp.conftest import statuses

Run = Callable[..., dict[str, Any]]
Triple = tuple[str, str, tuple[str, ...]]


def triples(f: dict[str, Any]) -> set[Triple]:
    """(type, polarity, chambers) of every claim."""
    return {(c["type"], c["polarity"], tuple(c["chambers"])) for c in f["claims"]}


def types_of(f: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["type"], c["polarity"]) for c in f["claims"]}


# -- status from what a sentence says, not from its surface negation -----------------------
def test_a_negated_availability_is_an_outage_and_makes_the_chamber_affected(facts: Run) -> None:
    f = facts("In Kassel geht bei der Kammer seit Dienstag gar nichts mehr.", kind="comment")
    assert ("outage", "asserted", ("hwk-kassel",)) in triples(f)
    assert statuses(f) == {"hwk-kassel": "affected"}


def test_wieder_after_the_verb_is_a_restoration(facts: Run) -> None:
    f = facts("Die Seite der HWK Ulm läuft seit heute Mittag wieder.")
    assert triples(f) == {("restored", "asserted", ("hwk-ulm",))}
    assert statuses(f) == {"hwk-ulm": "affected"}


# -- "betroffen" said of chambers, attributive and vague groups -----------------------------
def test_betroffen_said_of_a_chamber_is_an_outage(facts: Run) -> None:
    f = facts("Auch die Handwerkskammer Erfurt ist betroffen.")
    assert triples(f) == {("outage", "asserted", ("hwk-erfurt",))}


def test_chamber_hit_by_the_attack_gets_attack_and_outage(facts: Run) -> None:
    f = facts("Die Handwerkskammer Ulm ist von dem Hackerangriff betroffen.")
    assert triples(f) == {
        ("attack", "asserted", ("hwk-ulm",)),
        ("outage", "asserted", ("hwk-ulm",)),
    }


def test_attack_on_the_provider_names_no_chamber(facts: Run) -> None:
    f = facts("Wegen eines Angriffs auf ihren Dienstleister ist die HWK Ulm seit Montag offline.")
    assert triples(f) == {("attack", "asserted", ()), ("outage", "asserted", ("hwk-ulm",))}


def test_not_affected_by_the_attack_gives_attack_without_chamber(facts: Run) -> None:
    f = facts("Die Handwerkskammer Erfurt ist von dem Angriff nicht betroffen.")
    assert triples(f) == {("attack", "asserted", ()), ("outage", "negated", ("hwk-erfurt",))}


def test_a_vague_group_of_chambers_names_none(facts: Run) -> None:
    f = facts(
        "Die HWK Kassel ist seit Montag offline. Viele Handwerkskammern melden inzwischen "
        "ebenfalls Störungen."
    )
    assert ("outage", "asserted", ()) in triples(f)
    assert ("outage", "asserted", ("hwk-kassel",)) in triples(f)


def test_subject_before_an_adverb_belongs_to_the_predicate(facts: Run) -> None:
    f = facts("Die Handwerkskammer Erfurt hingegen ist kein Kunde des Dienstleisters.")
    assert triples(f) == {("outage", "negated", ("hwk-erfurt",))}
    assert statuses(f) == {"hwk-erfurt": "not_affected"}


def test_a_named_chamber_that_runs_is_not_affected(facts: Run) -> None:
    f = facts("Die Handwerkskammer Schwerin läuft seit Tagen ohne Unterbrechung.")
    assert triples(f) == {("outage", "negated", ("hwk-schwerin",))}


# -- services: e-mail, exams, "weiterhin erreichbar" ----------------------------------------
def test_mail_that_works_is_a_service_going_on(facts: Run) -> None:
    f = facts("E-Mails an die Handwerkskammer Kassel kommen problemlos an.")
    assert types_of(f) == {("services_continue", "asserted")}


def test_exams_not_affected_are_services_going_on(facts: Run) -> None:
    f = facts("Die Meisterprüfungen der HWK Ulm sind von der Störung nicht betroffen.")
    assert types_of(f) == {("services_continue", "asserted")}


def test_data_not_affected_is_a_negated_breach(facts: Run) -> None:
    f = facts("Die Mitgliederdaten der HWK Ulm sind nach Angaben der Kammer nicht betroffen.")
    assert types_of(f) == {("data_breach", "negated")}


def test_open_question_whether_data_is_affected(facts: Run) -> None:
    f = facts("Ob Mitgliederdaten der HWK Ulm betroffen sind, ist unklar.")
    assert types_of(f) == {("data_breach", "uncertain")}


# -- references: numbered groups, "dortig", "wir"/"uns", notices ----------------------------
def test_all_three_chambers_refers_to_the_three_named_last(facts: Run) -> None:
    f = facts(
        "Die Kammern in Kassel, Erfurt und Leipzig sind offline. "
        "Alle drei Kammern sind telefonisch erreichbar."
    )
    assert ("services_continue", "asserted", ("hwk-erfurt", "hwk-kassel", "hwk-leipzig")) in (
        triples(f)
    )


def test_dortige_kammer_is_the_place_of_the_sentence(facts: Run) -> None:
    f = facts(
        "Die Kammern in Erfurt und Leipzig sind offline. "
        "In Kassel war nach Angaben der dortigen Kammer nur das Postfach gestört."
    )
    kassel = [c for c in f["claims"] if "Kassel" in c["evidence"]["text"]]
    assert [c["chambers"] for c in kassel] == [["hwk-kassel"]]


def test_uns_in_a_quote_is_the_chamber_the_text_is_about(facts: Run) -> None:
    f = facts(
        "Die Website der HWK Kassel ist seit Montag offline. Die HWK Kassel informiert per "
        "Telefon. Auch die HWK Erfurt meldet Ausfälle. „Das trifft uns hart“, sagt die Sprecherin."
    )
    quote = [c for c in f["claims"] if "trifft uns" in c["evidence"]["text"]]
    assert [(c["type"], c["chambers"]) for c in quote] == [("outage", ["hwk-kassel"])]


def test_we_in_a_chamber_notice_is_the_issuing_chamber() -> None:
    record = {"id": "n1", "kind": "article", "url": "https://www.hwk-ulm.de/aktuelles/1",
              "published": "2024-01-09T10:00:00+01:00",
              "text": "Hinweis\n\nWir sind weiterhin telefonisch für Sie erreichbar."}  # fmt: skip
    f = next(extract_records([record]))
    assert triples(f) == {("services_continue", "asserted", ("hwk-ulm",))}


def test_an_investigation_is_nobodys_report(facts: Run) -> None:
    f = facts("Die Kammern in Kassel und Erfurt sind offline. Das LKA ermittelt.")
    assert ("authority_notified", "asserted", ()) in triples(f)


def test_a_mail_to_the_author_is_no_service(facts: Run) -> None:
    f = facts(
        "Die Kammern in Kassel und Erfurt sind offline. Ich wurde per Mail darauf hingewiesen."
    )
    assert ("services_continue", "asserted") not in types_of(f)


# -- ellipsis and contrast ---------------------------------------------------------------------
def test_elliptical_sentence_repeats_the_claim_negated(facts: Run) -> None:
    f = facts(
        "Kassel und Erfurt sind seit heute wieder online. Leipzig noch nicht.", kind="comment"
    )
    assert ("restored", "negated", ("hwk-leipzig",)) in triples(f)
    assert statuses(f)["hwk-leipzig"] == "affected"


def test_elliptical_sentence_with_a_hedge(facts: Run) -> None:
    f = facts("Die Kammer in Trier ist offline. Koblenz vermutlich auch.", kind="comment")
    assert ("outage", "uncertain", ("hwk-koblenz",)) in triples(f)
    assert statuses(f)["hwk-koblenz"] == "affected"


def test_a_sentence_with_its_own_verb_is_no_ellipsis(facts: Run) -> None:
    f = facts(
        "Die Kammer in Trier ist offline. Die Kammer in Oldenburg wollte sich dazu nicht äußern."
    )
    assert statuses(f)["hwk-oldenburg"] == "mentioned"


def test_elliptical_clause_keeps_its_own_hedge(facts: Run) -> None:
    f = facts("Die Kammern in Kassel und Erfurt sind offline, Leipzig wohl auch.")
    assert triples(f) == {
        ("outage", "asserted", ("hwk-erfurt", "hwk-kassel")),
        ("outage", "uncertain", ("hwk-leipzig",)),
    }


def test_nicht_x_nur_y_makes_y_affected(facts: Run) -> None:
    f = facts("Die IHK Kassel ist nicht betroffen, nur die Handwerkskammer Kassel.")
    assert ("outage", "asserted", ("hwk-kassel",)) in triples(f)
    assert statuses(f) == {"hwk-kassel": "affected"}


# -- polarity: attribution, hedges, conditionals, negation scope ------------------------------
def test_soll_with_a_named_source_is_asserted(facts: Run) -> None:
    f = facts("Laut Kammersprecherin sollen die Prüfungen der HWK Ulm wie geplant stattfinden.")
    assert types_of(f) == {("services_continue", "asserted")}


def test_soll_without_a_source_is_uncertain(facts: Run) -> None:
    f = facts("Die Prüfungen der HWK Ulm sollen wie geplant stattfinden.")
    assert types_of(f) == {("services_continue", "uncertain")}


def test_an_unnamed_acquaintance_is_no_source(facts: Run) -> None:
    f = facts("Laut einem Kollegen sollen bei der HWK Ulm Server verschlüsselt worden sein.")
    assert types_of(f) == {("attack", "uncertain")}


def test_konjunktiv_ii_in_reported_speech_is_asserted(facts: Run) -> None:
    f = facts(
        "Betriebe könnten sich telefonisch an die Kammer wenden, sagte der Sprecher der HWK Ulm."
    )
    assert types_of(f) == {("services_continue", "asserted")}


def test_konjunktiv_ii_speculation_is_uncertain(facts: Run) -> None:
    f = facts("Bei der HWK Ulm könnten Daten abgeflossen sein, sagte der Sprecher.")
    assert types_of(f) == {("data_breach", "uncertain")}


def test_first_person_in_a_comment_is_not_konjunktiv(facts: Run) -> None:
    f = facts("Ulm ist definitiv offline, arbeite selbst in der Kammer.", kind="comment")
    assert types_of(f) == {("outage", "asserted")}


def test_a_following_hedge_sentence_makes_the_claim_uncertain(facts: Run) -> None:
    f = facts("Die Seite der HWK Ulm ist wieder online. Keine Ahnung, ob das stimmt.", "comment")
    assert types_of(f) == {("restored", "uncertain")}


def test_geht_nicht_davon_aus_is_a_hedge_not_an_outage(facts: Run) -> None:
    f = facts("Die HWK Ulm geht nicht davon aus, dass Daten abgeflossen sind.")
    assert types_of(f) == {("data_breach", "uncertain")}


def test_ausschliessen_with_a_later_negation_is_not_ruled_out(facts: Run) -> None:
    f = facts("Ausschließen lässt sich ein Datenabfluss bei der HWK Ulm derzeit nicht.")
    assert types_of(f) == {("data_breach", "uncertain")}


def test_no_statement_yet_is_open_not_negated(facts: Run) -> None:
    f = facts("Ob Daten der HWK Ulm abgeflossen sind, dazu gibt es noch keine Angaben.")
    assert types_of(f) == {("data_breach", "uncertain")}


def test_conditional_restoration_is_no_claim(facts: Run) -> None:
    f = facts("Die HWK Ulm meldet sich, sobald die Seite wieder erreichbar ist.")
    assert ("restored", "asserted") not in types_of(f)
    assert ("restored", "uncertain") not in types_of(f)


def test_work_on_the_restoration_is_no_claim(facts: Run) -> None:
    f = facts("Bei der HWK Ulm arbeiten Techniker an der Wiederherstellung der Portale.")
    assert types_of(f) == set()


def test_ab_heute_is_not_future(facts: Run) -> None:
    f = facts("Ab heute ist das Kursportal der HWK Ulm wieder verfügbar.")
    assert types_of(f) == {("restored", "asserted")}


def test_ab_next_month_is_future(facts: Run) -> None:
    f = facts("Ab März ist das Kursportal der HWK Ulm wieder verfügbar.")
    assert types_of(f) == {("restored", "uncertain")}


def test_why_question_presupposes_its_content(facts: Run) -> None:
    f = facts("Wieso berichtet niemand, dass auch die HWK Ulm offline ist?", kind="comment")
    assert types_of(f) == {("outage", "asserted")}


def test_negation_of_one_clause_does_not_reach_the_next(facts: Run) -> None:
    f = facts("Auf der Startseite der HWK Ulm steht nichts – sie ist nicht erreichbar.")
    assert types_of(f) == {("outage", "asserted")}


def test_nicht_reaches_into_the_dass_clause_it_governs(facts: Run) -> None:
    f = facts("Die HWK Ulm bestätigt nicht, dass Daten abgeflossen sind.")
    assert types_of(f) == {("data_breach", "negated")}


def test_nichts_zu_tun_is_not_a_negated_outage(facts: Run) -> None:
    f = facts("Die HWK Ulm ist offline, hat aber mit dem Angriff auf die Stadtwerke nichts zu tun.")
    assert ("outage", "negated") not in types_of(f)
    assert statuses(f) == {"hwk-ulm": "affected"}


# -- scope: other incidents ---------------------------------------------------------------------
def test_an_earlier_fault_is_another_incident(facts: Run) -> None:
    f = facts(
        "Bei der Handwerkskammer Kassel gab es im November 2023 eine Störung des Mailservers."
    )
    assert f["claims"] == []


def test_an_article_about_hospitals_has_no_claims(facts: Run) -> None:
    f = facts("Nach einem Cyberangriff sind zwei Kliniken in Hessen nur eingeschränkt erreichbar.")
    assert f["claims"] == []


# -- readings added after spending holdout2 (session 3); sentences written anew ------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Handwerkskammer Kassel ist nicht bei ODAV und daher voll erreichbar.",
         {"hwk-kassel": "not_affected"}),
        ("Die Kammern in Bremen und Hamburg betreiben eigene Rechenzentren.",
         {"hwk-bremen": "not_affected", "hwk-hamburg": "not_affected"}),
        ("Wer die Seite der Handwerkskammer Kassel aufrief, sah nur eine leere Seite.",
         {"hwk-kassel": "affected"}),
        ("Die Links auf die Handwerkskammer Kassel laufen ins Leere.", {"hwk-kassel": "affected"}),
        ("Die Handwerkskammer Kassel ist seit Tagen ohne Internetauftritt.",
         {"hwk-kassel": "affected"}),
        ("Die Handwerkskammer Kassel kann ihre Lehrstellenbörse noch nicht wieder anbieten.",
         {"hwk-kassel": "affected"}),
    ],
)  # fmt: skip
def test_status_phrases(facts: Run, text: str, expected: dict[str, str]) -> None:
    assert statuses(facts(text)) == expected


def test_a_channel_in_reported_speech_is_no_service(facts: Run) -> None:
    f = facts(
        "Die Kammern in Thüringen sind alle nicht bei ODAV, hat mir ein Mitarbeiter am "
        "Telefon gesagt.",
        kind="comment",
    )
    assert {c["type"] for c in f["claims"]} == {"outage"}


def test_a_vague_group_does_not_inherit_the_chambers_before(facts: Run) -> None:
    f = facts(
        "Die Handwerkskammer Bremen war dagegen normal erreichbar. Wer die Adressen "
        "einzelner Kammern aufruft, landet auf einer Seite mit dem Hinweis, das Portal sei "
        "nicht erreichbar."
    )
    assert statuses(f) == {"hwk-bremen": "not_affected"}
    assert all(c["chambers"] == [] for c in f["claims"] if c["polarity"] != "negated")


def test_a_bare_kammer_after_another_kind_of_chamber_is_that_chamber(facts: Run) -> None:
    f = facts(
        "Die Zahnärztekammer Westfalen-Lippe meldet eine Störung ihres Mitgliederportals. "
        "Die Kammer in Münster rechnet mit einer Reparatur bis Freitag. Mit dem Angriff auf "
        "die Handwerkskammern hat das nichts zu tun."
    )
    assert statuses(f) == {}


def test_a_dateline_city_is_no_chamber(facts: Run) -> None:
    f = facts(
        "Kassel, 10. Januar 2024 – Nach dem Cyberangriff auf ODAV sind viele "
        "Handwerkskammern offline. Betroffen ist auch die Kammer in Erfurt."
    )
    assert statuses(f) == {"hwk-erfurt": "affected"}


@pytest.mark.parametrize(
    "second",
    ["Sie ist nicht betroffen.", "Sie war von dem Vorfall allerdings nicht betroffen."],
)
def test_a_pronoun_subject_is_the_chamber_named_before(facts: Run, second: str) -> None:
    f = facts("Auch die Handwerkskammer Bremen hat die Lage beobachtet. " + second)
    assert statuses(f) == {"hwk-bremen": "not_affected"}
    assert triples(f) == {("outage", "negated", ("hwk-bremen",))}


# -- readings added after spending holdout3 and holdout4 (session 3); sentences written anew
@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # the words of a name say nothing: "heise online" is not online
        ("Laut heise online sind die Kammern in Ulm und Konstanz betroffen.", "article",
         {"hwk-ulm": "affected", "hwk-konstanz": "affected"}),
        # "mehr als 30." ends a sentence
        ("Gezählt wurden mehr als 30. In Hessen ist die Handwerkskammer Kassel betroffen.",
         "article", {"hwk-kassel": "affected"}),
        # part of a chamber down while its website runs: affected
        ("Die Website der HWK Kassel war erreichbar; dort seien nur einzelne Formulare "
         "ausgefallen, sagte ein Sprecher.", "article", {"hwk-kassel": "affected"}),
        # "außerdem" is no "außer"
        ("Betroffen sind außerdem die Kammern in Trier und Ulm.", "article",
         {"hwk-trier": "affected", "hwk-ulm": "affected"}),
        ("Bei der HWK Trier läuft die Kursbuchung seit letzter Woche wieder.", "comment",
         {"hwk-trier": "affected"}),
        ("Die HWK Erfurt steht in keiner Verbindung zu dem betroffenen Anbieter.", "article",
         {"hwk-erfurt": "not_affected"}),
        ("Wollte über das Portal der HWK Trier buchen. Ging natürlich nicht.", "comment",
         {"hwk-trier": "affected"}),
        ("Die Handwerkskammer Trier ist dagegen erreichbar.", "article",
         {"hwk-trier": "not_affected"}),
        ("Die Seite der HWK Trier geht nicht. Ulm auch ok.", "comment",
         {"hwk-trier": "affected", "hwk-ulm": "not_affected"}),
        ("bei der hwk in ulm ist seit heute früh alles tot. in trier lief dagegen alles "
         "normal, hab grad nachgeschaut.", "comment",
         {"hwk-ulm": "affected", "hwk-trier": "not_affected"}),
        # readings added after spending holdout4 (session 3); sentences written anew
        ("Die Seite der HWK Ulm ist offline. Und die Nachbarkammern? In Konstanz und bei der "
         "Handwerkskammer Reutlingen sind die Seiten genauso offline.", "article",
         {"hwk-ulm": "affected", "hwk-konstanz": "affected", "hwk-reutlingen": "affected"}),
        ("Die Seite der HWK Ulm ist seit Tagen offline und keiner sagt was.", "comment",
         {"hwk-ulm": "affected"}),
        ("In Thüringen trifft es alle drei Handwerkskammern.", "article",
         {"hwk-erfurt": "affected", "hwk-ostthueringen": "affected",
          "hwk-suedthueringen": "affected"}),
        ("In Sachsen-Anhalt sind unter anderem die Kammern in Halle betroffen.", "article",
         {"hwk-halle": "affected"}),
        ("Die Seite der HWK Ulm ist offline. Und warum erfährt man erst jetzt, dass auch die "
         "Handwerkskammer Konstanz betroffen ist?", "comment",
         {"hwk-ulm": "affected", "hwk-konstanz": "affected"}),
        ("Die Handwerkskammer Trier ist seit Montag offline. Die Handwerkskammer Köln nutzt "
         "dagegen einen anderen Anbieter. Die Kammer habe den Landesbeauftragten für den "
         "Datenschutz informiert, sagte ein Sprecher in Trier.", "article",
         {"hwk-trier": "affected", "hwk-koeln": "not_affected"}),
        # readings added after spending holdout5 (session 3); sentences written anew
        ("Halb Deutschland hängt am selben Rechenzentrum in Niederbayern. Die Seite der "
         "HWK Ulm ist seit Tagen offline.", "comment", {"hwk-ulm": "affected"}),
        ("Die Trierer Kammer ist aber online.", "comment", {"hwk-trier": "not_affected"}),
        ("Die Internetseite und das Kursportal der Handwerkskammer Erfurt arbeiten ohne "
         "Einschränkungen.", "article", {"hwk-erfurt": "not_affected"}),
        ("Bei der Kammer in Ulm steht seit Montag nur ein Wartungshinweis.", "comment",
         {"hwk-ulm": "affected"}),
        ("Re: Kammerseiten seit Tagen tot\n\nIst die HWK Ulm eigentlich auch dabei?",
         "comment", {"hwk-ulm": "mentioned"}),
        # readings added after spending holdout6 (session 3); sentences written anew
        ("Die HWK Kassel ist nach eigenen Angaben nicht betroffen, sie gehöre nicht zu den "
         "ODAV-Kunden.", "article", {"hwk-kassel": "not_affected"}),
        ("Die Website der Handwerkskammer Kassel wird nicht bei dem betroffenen Unternehmen "
         "betrieben und funktioniert uneingeschränkt.", "article", {"hwk-kassel": "not_affected"}),
        ("Die Kammern in Halle und Magdeburg sind online. In Sachsen-Anhalt ist damit keine der "
         "zwei Handwerkskammern betroffen.", "article",
         {"hwk-halle": "not_affected", "hwk-magdeburg": "not_affected"}),
        ("In einer früheren Version dieses Artikels hieß es, auch die Handwerkskammer Kassel "
         "sei betroffen. Das ist falsch.", "article", {"hwk-kassel": "mentioned"}),
        ("Unsere Website ist seit Montag offline. #HWKKassel #Handwerk", "comment",
         {"hwk-kassel": "affected"}),
        ("Erreichbar: @HWK_Kassel, Hwk Trier.", "comment",
         {"hwk-kassel": "not_affected", "hwk-trier": "not_affected"}),
    ],
)  # fmt: skip
def test_status_readings_from_spent_holdout_sets(
    facts: Run, text: str, kind: str, expected: dict[str, str]
) -> None:
    assert statuses(facts(text, kind=kind)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Die Kammer hat den Hessischen Beauftragten für Datenschutz informiert.",
        "Die Kammer steht in engem Austausch mit dem Landeskriminalamt.",
        "Man arbeite mit den Ermittlungsbehörden zusammen, teilte der Dienstleister mit.",
        "Die Kammer hat die Datenschutzaufsicht ihres Landes informiert.",
    ],
)
def test_more_ways_to_name_and_involve_an_authority(facts: Run, text: str) -> None:
    assert types_of(facts(text)) == {("authority_notified", "asserted")}


def test_a_chamber_in_brackets_does_not_cut_the_list_it_belongs_to(facts: Run) -> None:
    f = facts(
        "Die Seiten der Kammern in Ulm, Trier und Bielefeld (Ostwestfalen-Lippe) waren am "
        "Abend dagegen weiterhin nicht erreichbar."
    )
    assert triples(f) == {
        ("outage", "asserted", ("hwk-ostwestfalen-lippe", "hwk-trier", "hwk-ulm"))
    }


@pytest.mark.parametrize(
    ("text", "expected_triples", "expected_status"),
    [
        ("Wegen eines Angriffs auf ihren Dienstleister ist die Handwerkskammer Ulm weder über "
         "ihre Website noch per E-Mail erreichbar.",
         {("attack", "asserted", ()), ("outage", "asserted", ("hwk-ulm",))},
         {"hwk-ulm": "affected"}),
        ("Wegen des Angriffs auf ODAV finden die Kurse der Handwerkskammer Ulm nicht statt.",
         {("attack", "asserted", ()), ("services_continue", "negated", ("hwk-ulm",))},
         {"hwk-ulm": "mentioned"}),
        ("Drei Wochen nach dem Hackerangriff: Noch immer sind nicht alle Portale der HWK Ulm "
         "zurück", {("attack", "asserted", ()), ("restored", "negated", ("hwk-ulm",))},
         {"hwk-ulm": "affected"}),
    ],
)  # fmt: skip
def test_an_attack_after_nach_or_wegen_is_the_frame_not_what_is_negated(
    facts: Run,
    text: str,
    expected_triples: set[Triple],
    expected_status: dict[str, str],
) -> None:
    f = facts(text)
    assert triples(f) == expected_triples
    assert statuses(f) == expected_status


def test_words_of_an_authority_name_are_no_attack(facts: Run) -> None:
    f = facts("Die Zentralstelle Cybercrime Bayern hat die Ermittlungen übernommen.")
    assert "attack" not in {c["type"] for c in f["claims"]}


def test_no_hints_given_later_in_the_sentence_negate_the_breach(facts: Run) -> None:
    f = facts(
        "Hinweise darauf, dass Daten von Betrieben abgeflossen sind, gebe es bislang nicht, "
        "sagte der Sprecher der Handwerkskammer Trier."
    )
    assert triples(f) == {("data_breach", "negated", ("hwk-trier",))}


def test_a_contraction_of_geht_es_is_availability(facts: Run) -> None:
    f = facts("bei der hwk trier war kurz alles tot, mittags gings dann wieder.", kind="comment")
    assert ("restored", "asserted", ("hwk-trier",)) in triples(f)


# -- "laufen"/"gehen" that say nothing about something working ----------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Die Gespräche zwischen der Handwerkskammer Trier und ODAV laufen.",
        "Die Anmeldefrist der Handwerkskammer Trier läuft Ende Januar ab.",
        "Die Handwerkskammer Trier geht mit dem Vorfall offen um.",
        "Bei der Handwerkskammer Trier geht es jetzt um die Wiederherstellung der Daten.",
        "Die Wiederherstellung der Website der Handwerkskammer Trier dauert noch an.",
    ],
)
def test_idioms_of_laufen_and_gehen_are_no_status(facts: Run, text: str) -> None:
    f = facts(text)
    assert [c for c in f["claims"] if c["type"] in ("outage", "restored")] == []
    assert statuses(f).get("hwk-trier") != "not_affected"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Seite der Handwerkskammer Trier läuft wieder.", ("restored", "asserted")),
        ("Bei der Handwerkskammer Trier geht es wieder.", ("restored", "asserted")),
        ("Die Handwerkskammer Trier läuft normal.", ("outage", "negated")),
    ],
)
def test_laufen_and_gehen_about_a_website_still_count(
    facts: Run, text: str, expected: tuple[str, str]
) -> None:
    assert types_of(facts(text)) == {expected}


def test_a_hedged_denial_makes_no_chamber_affected(facts: Run) -> None:
    f = facts("Die Handwerkskammer Trier geht davon aus, dass keine Daten abgeflossen sind.")
    assert statuses(f) == {"hwk-trier": "mentioned"}


def test_a_forecast_of_the_restoration_is_uncertain(facts: Run) -> None:
    f = facts(
        "Die Wiederherstellung werde bis Mitte Februar dauern, sagte die Handwerkskammer Trier."
    )
    assert triples(f) == {("restored", "uncertain", ("hwk-trier",))}


# -- texts that are not about this incident at all ------------------------------------------
def test_handwerk_news_without_anything_of_it_makes_no_claim(facts: Run) -> None:
    """Trade press on another subject: "entfällt", "nicht möglich" and "Weg" are no outage."""
    f = facts(
        "Neue Regeln für Kosmetikbetriebe\n\nDie Handwerkskammer für Mittelfranken rät, "
        "Impfnachweise auf elektronischem Weg zu prüfen. Die Maskenpflicht entfällt, wenn "
        "eine Behandlung mit Maske nicht möglich ist. Auch die Kammer in Ulm bietet dazu "
        "eine telefonische Beratung an."
    )
    assert f["claims"] == []
    assert statuses(f) == {"hwk-mittelfranken": "mentioned", "hwk-ulm": "mentioned"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Website der Handwerkskammer Trier ist seit Montag weg.",
         {("outage", "asserted", ("hwk-trier",))}),
        ("Weg ist auch die Seite der Handwerkskammer Trier.",
         {("outage", "asserted", ("hwk-trier",))}),
        ("Der Weg zurück zur Normalität ist für die Handwerkskammer Trier noch weit.", set()),
        ("Die Handwerkskammer Trier verschickt Bescheide nur noch auf elektronischem Weg.",
         set()),
    ],
)  # fmt: skip
def test_weg_is_an_outage_only_in_lower_case(facts: Run, text: str, expected: set[Triple]) -> None:
    assert triples(facts(text)) == expected


def test_an_attack_on_somebody_else_without_chamber_or_provider_makes_no_claim(
    facts: Run,
) -> None:
    f = facts(
        "Betrüger haben es derzeit auf die Kunden eines großen Webhosters abgesehen. "
        "Die gefälschten Mails sind kaum vom Original zu unterscheiden. "
        "Am Donnerstag wurde eine Phishing-Plattform vom Netz genommen. "
        "Ermittler gehen davon aus, dass sie tausende Zugangsdaten abgegriffen hat."
    )
    assert f["claims"] == []


def test_chatter_in_another_thread_makes_no_claim(facts: Run) -> None:
    f = facts(
        "Bis zu gutem Journalismus ist es noch ein weiter Weg. Es ging nicht darum, ob er "
        "etwas damit zu tun hat.",
        kind="comment",
    )
    assert f["claims"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hat eigentlich schon jemand Anzeige erstattet?", ("authority_notified", "uncertain")),
        ("Angeblich sind auch Mitgliederdaten abgeflossen.", ("data_breach", "uncertain")),
        ("Danke, hab angerufen. Der Lehrgang findet statt.", ("services_continue", "asserted")),
        ("Immerhin läuft das Telefon.", ("services_continue", "asserted")),
    ],
)
def test_a_comment_in_the_thread_stays_on_topic_without_it_words(
    facts: Run, text: str, expected: tuple[str, str]
) -> None:
    assert types_of(facts(text, kind="comment")) == {expected}


@pytest.mark.parametrize("kind", ["article", "comment"])
def test_a_question_about_a_chamber_is_uncertain(facts: Run, kind: str) -> None:
    f = facts("Ist die Handwerkskammer Ulm auch betroffen?", kind=kind)
    assert triples(f) == {("outage", "uncertain", ("hwk-ulm",))}
    assert statuses(f) == {"hwk-ulm": "mentioned"}


# -- chambers named by context ----------------------------------------------------------------
def test_office_cities_after_geschaeftsstellen_name_their_chamber(facts: Run) -> None:
    f = facts("In den Geschäftsstellen in Lüneburg und Stade können Betriebe weiter vorsprechen.")
    assert set(statuses(f)) == {"hwk-braunschweig-lueneburg-stade"}


def test_city_in_an_elliptical_reply_sentence_is_a_chamber(facts: Run) -> None:
    f = facts("Münster ist bei mir wieder online. Bielefeld noch nicht.", kind="comment")
    assert statuses(f) == {"hwk-muenster": "affected", "hwk-ostwestfalen-lippe": "affected"}
    assert ("restored", "negated", ("hwk-ostwestfalen-lippe",)) in triples(f)


def test_a_list_after_the_affected_chambers_names_affected_chambers(facts: Run) -> None:
    f = facts(
        "Die Zahl der betroffenen Kammern wächst. Gemeldet haben sich bisher Kassel, Erfurt "
        "und die Handwerkskammer Leipzig."
    )
    assert statuses(f) == {"hwk-erfurt": "affected", "hwk-kassel": "affected",
                           "hwk-leipzig": "affected"}  # fmt: skip


# -- English sources -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The chamber in Koblenz said its website was unreachable, while the Hamburg chamber "
         "was not affected.", {"hwk-koblenz": "affected", "hwk-hamburg": "not_affected"}),
        ("The Koblenz chamber has filed a criminal complaint.", {"hwk-koblenz": "affected"}),
        ("The Hamburg chamber is not a customer of ODAV.", {"hwk-hamburg": "not_affected"}),
        ("The website of the Trier chamber is online again.", {"hwk-trier": "affected"}),
        ("The chamber in Ulm said it was never affected, while the Trier chamber remains "
         "offline.", {"hwk-ulm": "not_affected", "hwk-trier": "affected"}),
        ("The Trier chamber said its portal would not be back before March.",
         {"hwk-trier": "affected"}),
        ("The Hamburg chamber told us it is not an ODAV customer.",
         {"hwk-hamburg": "not_affected"}),
        # the second half of "Rhineland-Palatinate" is not the Pfalz chamber
        ("In Rhineland-Palatinate, the Koblenz chamber's homepage is back.",
         {"hwk-koblenz": "affected"}),
    ],
)  # fmt: skip
def test_english_status_cues(text: str, expected: dict[str, str]) -> None:
    record = {"id": "e1", "kind": "article", "url": "https://example.org/e1",
              "published": "2024-01-10T12:00:00+01:00", "text": text, "language": "en"}  # fmt: skip
    assert statuses(next(extract_records([record]))) == expected
