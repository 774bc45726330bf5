"""The outage monitor's data: the chamber sites it watches and what it saw.

:class:`Observation` is one availability check of one chamber's web site in
one run of the ``chambers`` spider (plain data, like the items in
:mod:`crawler.items`).  Observations are never updated: each run adds one row
per chamber, so the store holds a time series that
:func:`pipelines.observations.observed_events` turns into observed (not
claimed) events.

:class:`ChamberSite` is one row of ``crawler/data/chamber_sites.csv``:

- ``id``: the chamber id of ``chambers.csv`` (INCIDENT.md vocabulary)
- ``domain``: the chamber's web domain, ``other_domains`` more hosts it uses
  (``;``-separated); ``alias_domains`` (``;``-separated) name the chamber in
  links and URLs but are not crawled (the NLP stage maps all three to the id)
- ``url``: the page checked each run (the home page)
- ``verified``: ``public-refs`` when the domain is used as the chamber's web
  address in public reference material (scraper code, configuration, address
  lists in public repositories); ``unverified`` otherwise.  No domain was
  checked live: there is no network where this list was made.
- ``odav_customer``: ``yes`` where INCIDENT.md names the chamber as hit by the
  ODAV outage, else ``unknown``
- ``odav_kammer_id``: the chamber number in ODAV CMS URLs
  (``/artikel/<slug>-<kammerId>,<cat>,<artId>.html``) where public URLs show it
- ``note``: free text
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, ClassVar

# Outcomes of one check; the first is the only "site works" outcome.
OK = "ok"
OUTCOMES = (
    OK,
    "http_error",  # the site answered with HTTP 4xx/5xx (no banner)
    "dns_failure",  # the host name does not resolve
    "timeout",  # no answer within DOWNLOAD_TIMEOUT
    "tls_error",  # TLS handshake or certificate failure
    "connection_refused",  # nothing listens on the port
    "connection_error",  # any other network failure (reset, lost, ...)
    "redirect_to_banner",  # redirected to the shared outage banner (hwk-info.de)
    "banner_page",  # the site itself shows the shared banner
    "emergency_page",  # a stop-gap page of the chamber (or a redirect to one)
    "not_checked",  # dropped before download (robots.txt forbids it, ...)
)
# Outcomes that mean "the site of the chamber is not (normally) reachable".
UNREACHABLE = frozenset(OUTCOMES) - {OK, "not_checked"}


@dataclass
class Observation:
    """One availability check of one chamber site.

    id:          ``<chamber_id>@<run_id>`` (one row per chamber per run)
    run_id:      the run (UTC start time of the spider, ``20240109T081455Z``)
    chamber_id:  chamber id from chambers.csv
    url:         the URL requested (the chamber's home page)
    observed_at: when the outcome was seen (ISO 8601, Europe/Berlin offset)
    outcome:     one of :data:`OUTCOMES`
    http_status: status of the final response, None when none came
    final_url:   URL after redirects (the redirect target), None when no response
    detail:      human-readable detail: redirect chain, error message, latency
    banner:      the outage banner or emergency text recognised, if any
    """

    kind_name: ClassVar[str] = "observation"

    id: str
    run_id: str
    chamber_id: str
    url: str
    observed_at: str
    outcome: str
    http_status: int | None = None
    final_url: str | None = None
    detail: str = ""
    banner: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


OBSERVATION_COLUMNS = [f.name for f in fields(Observation)]


@dataclass(frozen=True)
class ChamberSite:
    """One chamber web site to watch (a row of ``chamber_sites.csv``)."""

    id: str
    url: str
    domain: str = ""
    other_domains: tuple[str, ...] = ()
    verified: str = "unverified"
    odav_customer: str = "unknown"
    odav_kammer_id: int | None = None
    note: str = ""

    @property
    def hosts(self) -> tuple[str, ...]:
        """The chamber's own domains (notices are followed only on these)."""
        return tuple(h for h in (self.domain, *self.other_domains) if h)


class ChamberSitesError(ValueError):
    """The chamber site list cannot be used."""


def load_chamber_sites(path: str | Path | None = None) -> list[ChamberSite]:
    """Read a chamber site list: needs ``id`` and ``url`` or ``domain`` per row.

    Tests pass their own list (``KW_CHAMBER_SITES``) mapping ids to local URLs.
    """
    # The default is read as a package resource: that works from a zipped egg too (Scrapyd).
    source: Traversable = (
        Path(path) if path else resources.files("crawler").joinpath("data/chamber_sites.csv")
    )
    try:
        rows = list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8-sig"))))
    except OSError as exc:
        raise ChamberSitesError(f"{source}: cannot read chamber sites ({exc})") from exc
    sites: list[ChamberSite] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        cid = (row.get("id") or "").strip()
        domain = (row.get("domain") or "").strip().lower()
        url = (row.get("url") or "").strip() or (f"https://www.{domain}/" if domain else "")
        if not cid or not url:
            raise ChamberSitesError(f"{source}:{number}: a row needs id and url or domain")
        if cid in seen:
            raise ChamberSitesError(f"{source}:{number}: chamber {cid} listed twice")
        seen.add(cid)
        kammer = (row.get("odav_kammer_id") or "").strip()
        sites.append(
            ChamberSite(
                id=cid,
                url=url,
                domain=domain,
                other_domains=tuple(
                    d.strip().lower()
                    for d in (row.get("other_domains") or "").split(";")
                    if d.strip()
                ),
                verified=(row.get("verified") or "unverified").strip(),
                odav_customer=(row.get("odav_customer") or "unknown").strip(),
                odav_kammer_id=int(kammer) if kammer.isdigit() else None,
                note=(row.get("note") or "").strip(),
            )
        )
    return sites
