"""Fixture chamber sites for the ``chambers`` and ``wayback`` spiders.

Markup modelled on the ODAV CMS as described in MARKUP.md (``/artikel/<slug>-
<kammerId>,<cat>,<artId>.html``, meta tags, ``<time>``); all German text is
written for these tests from INCIDENT.md.

:func:`build_chamber_sites` serves all 53 chambers from one :class:`LocalSite`
and writes the chamber list (``id,url``) the spider reads through
``KW_CHAMBER_SITES``.  Every outage case has a local stand-in:

==================================  =====================================================
chamber                             case → expected outcome
==================================  =====================================================
hwk-aachen                          home page with notices (+ press overview) → ok
hwk-koeln                           302 to ``localhost`` (the banner host) → redirect_to_banner
hwk-dortmund                        the shared banner on its own host → banner_page
hwk-suedwestfalen                   a short stop-gap page → emergency_page
hwk-duesseldorf                     HTTP 503 → http_error
hwk-ostwestfalen-lippe              answers after DOWNLOAD_TIMEOUT → timeout
hwk-pfalz                           a closed port → connection_refused
hwk-flensburg                       ``www.hwk-flensburg.invalid`` → dns_failure
hwk-braunschweig-lueneburg-stade    https to a server that never speaks TLS → tls_error
every other chamber                 a plain home page → ok
==================================  =====================================================

``.invalid`` never resolves (RFC 6761); :class:`InvalidTldResolver` (Scrapy
``DNS_RESOLVER``) fails such names at once without asking any DNS server.
"""

from __future__ import annotations

import contextlib
import csv
import html
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from tests.httpserver import LocalSite, RequestInfo

BANNER_PATH = "/hinweis/"
SLOW_SECONDS = 1.6  # the server side of the timeout case; tests set DOWNLOAD_TIMEOUT=1


@implementer(IResolverSimple)
class InvalidTldResolver(CachingThreadedResolver):
    """Scrapy's resolver, except that ``*.invalid`` fails at once, locally."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        if name.lower().rstrip(".").endswith(".invalid"):
            return defer.fail(DNSLookupError(f"{name}: reserved .invalid name"))
        return super().getHostByName(name, timeout)


class NotTlsServer:
    """Accepts connections on 127.0.0.1 and answers every one with a plain-text
    line, then closes: a TLS client fails its handshake at once, every time."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="not-tls", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn, contextlib.suppress(OSError):
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


def closed_port() -> int:
    """A local port that nothing listens on (bound once, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- pages -----------------------------------------------------------------

NAV = (
    "Ausbildung", "Meister und Weiterbildung", "Beratung für Betriebe", "Prüfungen",
    "Lehrstellenbörse", "Kurse und Seminare", "Recht und Steuern", "Über uns",
)  # fmt: skip


def _page(title: str, name: str, body_class: str, main: str, head: str = "") -> str:
    nav = "\n".join(
        f'<li><a href="/rubrik/{i}">{html.escape(item)}</a></li>' for i, item in enumerate(NAV)
    )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - {html.escape(name)}</title>
<meta name="generator" content="ODAV CMS">
<meta name="author" content="{html.escape(name)}">
{head}
</head>
<body class="{body_class}">
<header id="kopf"><a id="logo" href="/">{html.escape(name)}</a>
<nav id="hauptnavigation"><ul>
{nav}
</ul></nav></header>
<main id="inhalt">
{main}
</main>
<footer id="fuss"><ul><li><a href="/impressum">Impressum</a></li>
<li><a href="/datenschutz">Datenschutz</a></li><li><a href="/kontakt">Kontakt</a></li></ul>
<p class="copyright">© {html.escape(name)}</p>
<p>Die Handwerkskammer vertritt die Interessen der Handwerksbetriebe in ihrem Bezirk, führt die
Handwerksrolle, nimmt Gesellen- und Meisterprüfungen ab und berät Betriebe in allen Fragen der
Betriebsführung, von der Gründung bis zur Nachfolge. Unsere Bildungszentren bieten Lehrgänge für
Auszubildende, Gesellinnen und Gesellen sowie Meisterinnen und Meister an.</p></footer>
</body>
</html>
"""


def home_page(name: str, teasers: Sequence[tuple[str, str, str]], press_href: str = "") -> str:
    """A chamber's home page with news teasers ``(href, date, title)``."""
    items = "\n".join(
        f'<li><a href="{href}"><span class="datum">{date}</span> {html.escape(title)}</a></li>'
        for href, date, title in teasers
    )
    press = f'<p><a href="{press_href}">Presse</a></p>' if press_href else ""
    main = f"""<section class="startseite-aktuelles"><h2>Aktuelle Meldungen</h2>
<ul class="meldungen">
{items}
</ul>{press}</section>
<section class="startseite-service"><h2>Service</h2>
<p>Beratungstermine vereinbaren Sie telefonisch oder über unser Kontaktformular. Unsere
Servicezeiten: Montag bis Donnerstag von 8 bis 16 Uhr, Freitag von 8 bis 13 Uhr.</p></section>"""
    return _page("Startseite", name, "startseite", main)


def overview_page(name: str, teasers: Sequence[tuple[str, str, str]]) -> str:
    """The press overview: a list of notices."""
    items = "\n".join(
        f'<li><a href="{href}">{html.escape(title)}</a> <span class="datum">{date}</span></li>'
        for href, date, title in teasers
    )
    main = f'<h1>Pressemitteilungen</h1>\n<ul class="pressemitteilungen">\n{items}\n</ul>'
    return _page("Pressemitteilungen", name, "liste", main)


def notice_page(
    name: str, path: str, title: str, published: str, lead: str, paras: Sequence[str]
) -> str:
    """One notice (press release) in the ODAV article layout."""
    head = (
        f'<meta name="date" content="{published}">\n'
        f'<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{html.escape(title)}">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<link rel="canonical" href="{path}">'
    )
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    day = f"{published[8:10]}.{published[5:7]}.{published[:4]}"
    main = f"""<article class="artikel-detail">
<time class="artikel-datum" datetime="{published}">{day}</time>
<h1 class="artikel-titel">{html.escape(title)}</h1>
<p class="artikel-teaser">{html.escape(lead)}</p>
<div class="artikel-text">
{body}
</div>
<div class="artikel-ansprechpartner"><h2>Ansprechpartner</h2><p>Pressestelle der Kammer</p></div>
</article>"""
    return _page(title, name, "artikel", main, head)


BANNER_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Hinweis</title>
<meta name="robots" content="noindex"></head>
<body><div class="hinweis">
<h1>Unsere Homepage ist derzeit nicht erreichbar!</h1>
<p>Wegen einer Störung bei unserem Dienstleister ist diese Seite im Moment nicht aufrufbar.
Bitte versuchen Sie es später noch einmal.</p>
</div></body></html>
"""

EMERGENCY_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Handwerkskammer Südwestfalen</title></head>
<body><h1>Handwerkskammer Südwestfalen</h1>
<p>Unsere Internetseite und unsere Online-Dienste sind nach einem IT-Sicherheitsvorfall
bei unserem Dienstleister derzeit nicht erreichbar.
Prüfungen und Lehrgänge finden wie geplant statt.</p>
<p>Sie erreichen uns telefonisch unter 02931 000000 und per E-Mail.</p>
</body></html>
"""


# -- the 53 sites ----------------------------------------------------------


@dataclass
class Notice:
    path: str
    title: str
    published: str
    lead: str
    paras: list[str]
    incident: bool = True


AACHEN = "Handwerkskammer Aachen"
AACHEN_NOTICES = [
    Notice(
        "/artikel/internetseite-und-online-dienste-gestoert-33,0,2101.html",
        "Internetseite und Online-Dienste gestört",
        "2024-01-08T16:45:00+01:00",
        "Nach einem IT-Sicherheitsvorfall bei unserem Dienstleister ist unsere Internetseite "
        "nicht erreichbar.",
        [
            "Im Rechenzentrum der ODAV AG in Straubing ist es am Freitag, 5. Januar 2024, zu "
            "einem Sicherheitsvorfall gekommen. Der Dienstleister hat alle Systeme vom Netz "
            "genommen.",
            "Lehrgänge und Prüfungen finden wie geplant statt. Telefonisch sind wir wie "
            "gewohnt erreichbar.",
        ],
    ),
    Notice(
        "/artikel/cyberangriff-bestaetigt-stand-der-dinge-33,0,2107.html",
        "Cyberangriff bestätigt: der Stand der Dinge",
        "2024-01-11T10:20:00+01:00",
        "Der Dienstleister hat bestätigt, dass sein Rechenzentrum angegriffen wurde.",
        [
            "Ob Daten abgeflossen sind, wird noch untersucht; ausschließen lässt es sich "
            "bislang nicht. Die Landesbeauftragte für Datenschutz wurde informiert.",
        ],
    ),
    Notice(
        "/artikel/meisterfeier-im-januar-verschoben-33,0,2098.html",
        "Meisterfeier im Frühjahr: Anmeldung geöffnet",
        "2024-01-03T09:00:00+01:00",
        "Die Meisterfeier findet im April statt.",
        ["Die Einladungen gehen im Februar an alle neuen Meisterinnen und Meister."],
        incident=False,
    ),
    # only on the press overview page
    Notice(
        "/artikel/e-mail-und-kursbuchung-wieder-verfuegbar-33,0,2120.html",
        "Internetseite wieder erreichbar, Kursbuchung folgt",
        "2024-01-16T14:00:00+01:00",
        "Seit Dienstag ist unsere Internetseite wieder online.",
        ["Die Online-Kursbuchung wird in den nächsten Tagen schrittweise freigeschaltet."],
    ),
]

EXPECTED_OUTCOMES = {
    "hwk-aachen": "ok",
    "hwk-koeln": "redirect_to_banner",
    "hwk-dortmund": "banner_page",
    "hwk-suedwestfalen": "emergency_page",
    "hwk-duesseldorf": "http_error",
    "hwk-ostwestfalen-lippe": "timeout",
    "hwk-pfalz": "connection_refused",
    "hwk-flensburg": "dns_failure",
    "hwk-braunschweig-lueneburg-stade": "tls_error",
}


@dataclass
class ChamberFixture:
    """What :func:`build_chamber_sites` set up."""

    csv_path: Path
    urls: dict[str, str]
    expected: dict[str, str]
    banner_url: str
    notices: list[Notice] = field(default_factory=list)

    def settings(self) -> dict[str, str]:
        """Scrapy settings that point the spider at the fixture sites."""
        return {
            "KW_CHAMBER_SITES": str(self.csv_path),
            "KW_OUTAGE_HOSTS": "localhost",
            "DNS_RESOLVER": "tests.sites.chambers.InvalidTldResolver",
            "DOWNLOAD_TIMEOUT": "1",
            "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
        }


def chamber_ids(path: Path | None = None) -> list[str]:
    """The 53 chamber ids, in the order of the project's chamber list."""
    path = path or Path(__file__).resolve().parents[2] / "crawler" / "data" / "chamber_sites.csv"
    with path.open(encoding="utf-8") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def _slow(_: RequestInfo) -> tuple[int, Any, str]:
    time.sleep(SLOW_SECONDS)  # server side only: the crawler gives up first
    return 200, None, home_page("Handwerkskammer Ostwestfalen-Lippe zu Bielefeld", [])


def serve_home(site: LocalSite, cid: str) -> str:
    """Serve a plain working home page for ``cid``; returns its URL."""
    path = f"/kammer/{cid}/"
    teaser = (f"/kammer/{cid}/artikel/sommerfest-der-innungen-9,0,100.html", "02.01.2024",
              "Sommerfest der Innungen: Termin steht")  # fmt: skip
    site.add(path, home_page(f"Handwerkskammer {cid[4:].title()}", [teaser]))
    return site.url(path)


def build_chamber_sites(site: LocalSite, directory: Path, not_tls_port: int) -> ChamberFixture:
    """Serve all 53 chamber sites and write their list; see the module docstring.

    ``not_tls_port`` is the port of a running :class:`NotTlsServer`."""
    base = site.base_url
    port = base.rsplit(":", 1)[1]
    banner_url = f"http://localhost:{port}{BANNER_PATH}"
    site.add(BANNER_PATH, BANNER_PAGE)

    urls: dict[str, str] = {}
    expected: dict[str, str] = {}
    for cid in chamber_ids():
        urls[cid] = serve_home(site, cid)
        expected[cid] = EXPECTED_OUTCOMES.get(cid, "ok")

    # Aachen: home page with incident notices, a press overview with one more
    home = [(n.path, n.published[:10], n.title) for n in AACHEN_NOTICES[:3]]
    site.add("/kammer/hwk-aachen/", home_page(AACHEN, home, "/kammer/hwk-aachen/presse"))
    site.add(
        "/kammer/hwk-aachen/presse",
        overview_page(AACHEN, [(n.path, n.published[:10], n.title) for n in AACHEN_NOTICES]),
    )
    for notice in AACHEN_NOTICES:
        site.add(
            notice.path,
            notice_page(
                AACHEN, notice.path, notice.title, notice.published, notice.lead, notice.paras
            ),
        )
    site.add_redirect("/kammer/hwk-koeln/", banner_url, status=302)
    site.add("/kammer/hwk-dortmund/", BANNER_PAGE)
    site.add("/kammer/hwk-suedwestfalen/", EMERGENCY_PAGE)
    site.add("/kammer/hwk-duesseldorf/", "<h1>Wartung</h1>", status=503)
    site.add_handler("/kammer/hwk-ostwestfalen-lippe/", _slow)
    urls["hwk-pfalz"] = f"http://127.0.0.1:{closed_port()}/"
    urls["hwk-flensburg"] = "http://www.hwk-flensburg.invalid/"
    urls["hwk-braunschweig-lueneburg-stade"] = f"https://127.0.0.1:{not_tls_port}/"

    csv_path = directory / "chamber_sites.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "url"])
        writer.writerows(urls.items())
    return ChamberFixture(csv_path, urls, expected, banner_url, AACHEN_NOTICES)
