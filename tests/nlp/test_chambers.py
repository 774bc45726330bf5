"""Chamber recognition and per-document status (issue point 2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pipelines.nlp.gazetteer import load_gazetteer
from tests.nlp.conftest import statuses

BAVARIA = {
    "hwk-muenchen-oberbayern", "hwk-niederbayern-oberpfalz", "hwk-oberfranken",
    "hwk-mittelfranken", "hwk-unterfranken", "hwk-schwaben",
}  # fmt: skip
NRW = {
    "hwk-aachen", "hwk-dortmund", "hwk-duesseldorf", "hwk-koeln", "hwk-muenster",
    "hwk-ostwestfalen-lippe", "hwk-suedwestfalen",
}  # fmt: skip


def ids(f: dict[str, Any]) -> set[str]:
    return {c["id"] for c in f["chambers"]}


def test_gazetteer_has_all_53_chambers_and_forms() -> None:
    gaz = load_gazetteer()
    assert len(gaz.chambers) == 53
    assert gaz.exact("kölner").chambers == {"hwk-koeln"}  # type: ignore[union-attr]
    assert gaz.exact("koeln").chambers == {"hwk-koeln"}  # type: ignore[union-attr]
    assert gaz.exact("kölns").kind == "genitive"  # type: ignore[union-attr]
    assert gaz.exact("pfälzischen").chambers == {"hwk-pfalz"}  # type: ignore[union-attr]
    assert gaz.lookup("dortmnud").chambers == {"hwk-dortmund"}  # type: ignore[union-attr]
    assert gaz.state_of("bayerischen") == "Bayern"
    assert gaz.state_of("nrw") == "Nordrhein-Westfalen"
    assert gaz.domain("https://www.hwk-aachen.de/kurse") == "hwk-aachen"
    assert len(gaz.state_chambers["Bayern"]) == 6
    # the domains are the crawler's chamber site list: crawled, other and alias hosts
    assert gaz.domain("https://www.handwerk-owl.de/aktuelles") == "hwk-ostwestfalen-lippe"
    assert gaz.domain("https://www.hwk-owl.de/news/1") == "hwk-ostwestfalen-lippe"
    assert gaz.domain("https://hwk-dresden.odav.de/kurse") == "hwk-dresden"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Kammern in Aachen, Köln und Dortmund sind offline.",
         {"hwk-aachen", "hwk-koeln", "hwk-dortmund"}),
        ("Betroffen sind die Handwerkskammer zu Köln und die HWK der Pfalz.",
         {"hwk-koeln", "hwk-pfalz"}),
        ("Die Aachener und die Kölner Handwerkskammer melden Ausfälle.",
         {"hwk-aachen", "hwk-koeln"}),
        ("Auch die Hwk Braunschweig-Lüneburg-Stade ist offline.",
         {"hwk-braunschweig-lueneburg-stade"}),
        ("Die HWK-Flensburg ist offline.", {"hwk-flensburg"}),
        ("Die Handwerkskammer Dortmnud ist offline.", {"hwk-dortmund"}),
        ("Die Handwerkskamer Aachen ist offline.", {"hwk-aachen"}),
        ("Die Handwerkskammer Ostwestfalen-Lippe zu Bielefeld ist offline.",
         {"hwk-ostwestfalen-lippe"}),
        ("Die Handwerkskammer für München und Oberbayern ist offline.",
         {"hwk-muenchen-oberbayern"}),
        ("Die Seite hwk-aachen.de ist nicht erreichbar.", {"hwk-aachen"}),
        ("Alle sechs bayerischen Kammern sind offline.", BAVARIA),
        ("Sämtliche Handwerkskammern in NRW sind offline.", NRW),
        ("Über 30 Kammern sind offline.", set()),
        ("Mehrere bayerische Kammern sind offline.", set()),
        ("Drei bayerische Kammern sind offline.", set()),
        ("Die IHK Köln ist nicht betroffen.", set()),
        ("Die Ärztekammer Nordrhein und die Steuerberaterkammer Düsseldorf sind online.", set()),
        ("Der Angriff auf Südwestfalen IT legte Kommunen lahm.", set()),
        ("Die Polizei Köln ermittelt.", set()),
        ("Das berichtet der Kölner Stadt-Anzeiger über die Kammer.", set()),
        ("Die Prüfungen der Kammer finden in der Halle statt.", set()),
        ("Ich war gestern in Köln einkaufen.", set()),
    ],
)  # fmt: skip
def test_chamber_mentions(
    facts: Callable[..., dict[str, Any]], text: str, expected: set[str]
) -> None:
    assert ids(facts(text)) == expected


def test_context_city_needs_chamber_in_sentence_or_previous(
    facts: Callable[..., dict[str, Any]],
) -> None:
    f = facts("Die Handwerkskammern sind betroffen. Auch in Aachen geht nichts. Köln ist schön.")
    assert ids(f) == {"hwk-aachen"}
    mention = f["chambers"][0]["mentions"][0]
    assert mention == {"text": "Aachen", "start": 45, "end": 51}


def test_status_affected_not_affected_mentioned(facts: Callable[..., dict[str, Any]]) -> None:
    f = facts(
        "Die Websites der Handwerkskammern in Aachen und Köln sind nicht erreichbar. "
        "Die Handwerkskammer Münster ist nicht betroffen. "
        "Ob auch die Handwerkskammer Trier betroffen ist, ist unklar."
    )
    assert statuses(f) == {
        "hwk-aachen": "affected",
        "hwk-koeln": "affected",
        "hwk-muenster": "not_affected",
        "hwk-trier": "mentioned",
    }


def test_status_partly_hit_counts_as_affected(facts: Callable[..., dict[str, Any]]) -> None:
    f = facts("Bei der Handwerkskammer Flensburg war nur die E-Mail kurzzeitig gestört.")
    assert statuses(f) == {"hwk-flensburg": "affected"}


def test_status_still_online_is_not_affected(facts: Callable[..., dict[str, Any]]) -> None:
    f = facts("Die Website der Handwerkskammer Hamburg ist weiterhin normal erreichbar.")
    assert statuses(f) == {"hwk-hamburg": "not_affected"}


def test_status_contrast(facts: Callable[..., dict[str, Any]]) -> None:
    f = facts("Anders als die Handwerkskammer Münster ist die Handwerkskammer Dortmund offline.")
    assert statuses(f) == {"hwk-muenster": "not_affected", "hwk-dortmund": "affected"}


def test_anaphora_links_claim_to_previous_sentence(facts: Callable[..., dict[str, Any]]) -> None:
    f = facts(
        "Die Handwerkskammer Aachen informierte am Montag. Die Kammer ist seit Freitag offline."
    )
    outage = [c for c in f["claims"] if c["type"] == "outage"]
    assert [c["chambers"] for c in outage] == [["hwk-aachen"]]
    assert statuses(f) == {"hwk-aachen": "affected"}
