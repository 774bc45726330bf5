"""Generic main-text extractor on the hand-written news fixtures (tests/fixtures/news)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from crawler.parsers.maintext import (
    PATTERNS_FILE,
    extract_main_text,
    extract_main_text_trafilatura,
    load_patterns,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "news"
NOISE: dict[str, list[str]] = json.loads((FIXTURES / "noise.json").read_text("utf-8"))
NAMES = sorted(p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json"))


def page(name: str) -> str:
    # bytes → str keeps the CRLF line ends of the handwerksblatt fixture
    return (FIXTURES / f"{name}.html").read_bytes().decode("utf-8")


def expected(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    return data


def f1(reference: str, got: str) -> float:
    ref = Counter(re.findall(r"\w+", reference.lower()))
    out = Counter(re.findall(r"\w+", got.lower()))
    overlap = sum((ref & out).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(out.values()), overlap / sum(ref.values())
    return 2 * p * r / (p + r)


def test_fixture_set_is_complete() -> None:
    assert len(NAMES) >= 10
    assert set(NAMES) == set(NOISE)
    for name in NAMES:
        assert NOISE[name], name
        words = len(re.findall(r"\w+", str(expected(name)["text"])))
        assert 170 <= words <= 600, (name, words)


@pytest.mark.parametrize("name", NAMES)
def test_f1_against_expected(name: str) -> None:
    text = extract_main_text(page(name), str(expected(name)["url"]))
    assert f1(str(expected(name)["text"]), text) >= 0.9


@pytest.mark.parametrize("name", NAMES)
def test_no_planted_noise_leaks(name: str) -> None:
    text = " ".join(extract_main_text(page(name)).split()).lower()
    leaked = [n for n in NOISE[name] if " ".join(n.split()).lower() in text]
    assert leaked == []


@pytest.mark.parametrize("name", NAMES)
def test_paragraph_format(name: str) -> None:
    text = extract_main_text(page(name))
    paras = text.split("\n\n")
    assert len(paras) >= 4
    for para in paras:
        assert para == para.strip() and para
        assert "  " not in para and "\t" not in para and "\r" not in para
        assert "\n\n" not in para


def test_entities_and_crlf_decoded() -> None:
    html = page("handwerksblatt")
    assert "\r\n" in html and "&uuml;" in html  # the fixture really is encoded
    text = extract_main_text(html)
    assert "&" not in text and "\r" not in text and "\xa0" not in text
    assert "Was gilt für Prüfungen und Kurse?" in text.split("\n\n")
    assert "Auslöser ist ein Cyberangriff auf die ODAV AG in Straubing" in text


def test_br_becomes_newline_inside_paragraph() -> None:
    text = extract_main_text(page("handwerksblatt"))
    assert (
        "Die zuständigen Datenschutzbehörden wurden informiert.\n"
        "Aktuelle Hinweise veröffentlichen die Kammern"
    ) in text
    html = (
        "<html><body><article><h1>Titel</h1><p>Erste Zeile mit genug Text für einen Absatz "
        "im Artikel<br>zweite Zeile<br/><br>dritte Zeile</p><p>Noch ein Absatz, der lang "
        "genug ist, um als Inhalt zu zählen, mit Komma.</p></article></body></html>"
    )
    assert extract_main_text(html).split("\n\n")[0] == (
        "Erste Zeile mit genug Text für einen Absatz im Artikel\nzweite Zeile\ndritte Zeile"
    )


def test_headings_kept_headline_dropped_lead_once() -> None:
    text = extract_main_text(page("heise-2024"))
    paras = text.split("\n\n")
    assert "Prüfungen laufen weiter" in paras
    assert "Cyberangriff auf ODAV: Websites vieler Handwerkskammern offline" not in text
    assert paras[0].startswith("Seit Montag sind die Internetauftritte")
    pnp = extract_main_text(page("pnp")).split("\n\n")
    lead = "Die Straubinger ODAV AG bestätigt einen Hackerangriff."
    assert sum(p.startswith(lead) for p in pnp) == 1 and pnp[0].startswith(lead)


def test_modules_collected_and_blockquote_marked() -> None:
    wdr = extract_main_text(page("wdr")).split("\n\n")
    assert wdr[1].startswith("Wer in diesen Tagen einen Meisterkurs")
    assert wdr[-1].startswith("Wann die Seiten wieder online sind")
    english = extract_main_text(page("infosecwire-en")).split("\n\n")
    assert "> There is currently no evidence that personal data has been exfiltrated" in english[4]


def test_wrapper_with_misleading_class_is_kept() -> None:
    first = (
        "Die Kammer bleibt telefonisch erreichbar, Prüfungen und Kurse finden wie geplant statt."
    )
    second = "Ob Daten abgeflossen sind, ist offen; die Datenschutzaufsicht wurde informiert."
    html = (
        '<html><body><div class="kommentar-artikel"><h1>Ein Kommentar</h1>'
        f"<p>{first}</p><p>{second}</p></div>"
        '<div id="comments"><p>Leserkommentar, der nicht im Text landen darf, auch wenn er '
        "lang genug ist, um wie ein Absatz auszusehen.</p></div></body></html>"
    )
    text = extract_main_text(html)
    assert text == f"{first}\n\n{second}"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "kein HTML, nur Text",
        "<<<>>>",
        "\x00\x01\x02<\x03",
        "<html></html>",
        "<html><body><nav><a href='/'>Start</a> <a href='/x'>Mehr</a></nav></body></html>",
        "<html><body><p>Zu kurz.</p></body></html>",
    ],
)
def test_empty_or_garbage_input_gives_empty_string(html: str) -> None:
    assert extract_main_text(html) == ""


def test_patterns_are_data() -> None:
    raw = json.loads(PATTERNS_FILE.read_text("utf-8"))
    assert "comment" in raw["class_id_substrings"] and "nav" in raw["class_id_segments"]
    pats = load_patterns()
    for line in ("Anzeige", "Mehr zum Thema", "(jme)", "Das könnte Sie auch interessieren"):
        assert pats.noise.fullmatch(line), line
    assert not pats.noise.fullmatch("Die Kammer ist telefonisch erreichbar.")


def test_trafilatura_wrapper_same_format() -> None:
    pytest.importorskip("trafilatura", exc_type=ImportError)
    text = extract_main_text_trafilatura(page("rheinpfalz"))
    assert "\n\n" in text and "\r" not in text
    assert f1(str(expected("rheinpfalz")["text"]), text) >= 0.8
    assert extract_main_text_trafilatura("") == ""
