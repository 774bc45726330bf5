"""ODAV CMS notice links on a chamber's home and news pages."""

from __future__ import annotations

import csv
from pathlib import Path

from crawler.observations import load_chamber_sites
from crawler.parsers.chamber_site import (
    NoticeLink,
    incident_notices,
    index_links,
    is_incident_notice,
    notice_links,
    parse_notice_url,
)
from tests.sites.chambers import home_page

REPO = Path(__file__).resolve().parents[2]
URL = "https://www.hwk-koeln.de/"
TEASERS = [
    (
        "/artikel/stoerung-der-internetseite-32,0,5678.html",
        "09.01.2024",
        "Störung der Internetseite",
    ),
    ("/artikel/ausbildungsmesse-im-maerz-32,0,5601.html", "04.01.2024", "Ausbildungsmesse im März"),
    ("/artikel/ausbildungsmesse-im-maerz-32,0,5601.html?pdf=1", "", "Als PDF"),
    ("/artikel/aktuelle-hinweise-32,7,5690.html", "12.01.2024", "Cyberangriff: Stand 12. Januar"),
    ("https://www.andere-kammer.de/artikel/cyberangriff-9,0,1.html", "", "Cyberangriff anderswo"),
    ("/artikel/neue-online-dienste-32,0,5702.html", "", "Weiterbildung"),
]
PAGE = home_page("Handwerkskammer zu Köln", TEASERS, "/presse")


def test_parse_notice_url() -> None:
    assert parse_notice_url(URL + "artikel/stoerung-der-internetseite-32,0,5678.html") == (
        "stoerung-der-internetseite", 32, 0, 5678,
    )  # fmt: skip
    assert parse_notice_url(URL + "artikel/x-33,76,12.html?pdf=1") == ("x", 33, 76, 12)
    assert parse_notice_url(URL + "33,76,bdbsearch.html") is None
    assert parse_notice_url(URL + "presse") is None


def test_notice_links_on_own_host_once_without_query() -> None:
    links = notice_links(PAGE, URL)
    assert [link.article_id for link in links] == [5678, 5601, 5690, 5702]
    messe = next(link for link in links if link.article_id == 5601)
    assert messe.url == URL + "artikel/ausbildungsmesse-im-maerz-32,0,5601.html"
    assert messe.title == "04.01.2024 Ausbildungsmesse im März"
    # another host is followed only when named as one of the chamber's hosts
    more = notice_links(PAGE, URL, hosts=["andere-kammer.de"])
    assert len(more) == 5
    # the page itself is not one of its notices
    here = URL + "artikel/stoerung-der-internetseite-32,0,5678.html"
    assert 5678 not in [link.article_id for link in notice_links(PAGE, here)]


def test_only_incident_notices() -> None:
    found = incident_notices(PAGE, URL)
    # "Störung" in the text, "Cyberangriff" in the text, "online-dienste" only in the slug
    assert [link.article_id for link in found] == [5678, 5690, 5702]
    plain = NoticeLink(
        URL + "artikel/meisterfeier-32,0,1.html", "Meisterfeier", "meisterfeier", 32, 0, 1
    )
    assert not is_incident_notice(plain)


def test_index_links() -> None:
    assert index_links(PAGE, URL) == [URL + "presse"]
    assert index_links(PAGE, URL + "presse") == []


def test_chamber_sites_data() -> None:
    sites = load_chamber_sites()
    with (REPO / "pipelines" / "nlp" / "data" / "chambers.csv").open(encoding="utf-8") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert [s.id for s in sites] == ids
    assert len(sites) == 53
    domains = [d for s in sites for d in s.hosts]
    assert len(domains) == len(set(domains))
    assert all(s.url == f"https://www.{s.domain}/" for s in sites)
    assert all(s.verified in ("public-refs", "unverified") for s in sites)
    by_id = {s.id: s for s in sites}
    assert by_id["hwk-dortmund"].domain == "hwk-do.de"
    assert by_id["hwk-unterfranken"].domain == "hwk-ufr.de"
    assert (by_id["hwk-koeln"].odav_kammer_id, by_id["hwk-aachen"].odav_kammer_id) == (32, 33)
    named = {s.id for s in sites if s.odav_customer == "yes"}
    assert named == {
        "hwk-aachen", "hwk-suedwestfalen", "hwk-ostwestfalen-lippe", "hwk-dortmund",
        "hwk-duesseldorf", "hwk-koeln", "hwk-braunschweig-lueneburg-stade", "hwk-pfalz",
        "hwk-flensburg",
    }  # fmt: skip
