"""Outage classification of a chamber-site check: responses, network errors,
and the failure flattening the chambers spider feeds into it."""

from __future__ import annotations

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadFailedError
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.observations import OUTCOMES, UNREACHABLE
from crawler.parsers.outage import (
    classify_error,
    classify_response,
    load_patterns,
    visible_text,
)
from crawler.spiders.chambers import failure_names
from tests.sites.chambers import BANNER_PAGE, EMERGENCY_PAGE, home_page

HOME = "https://www.hwk-aachen.de/"
TEASER = home_page(
    "Handwerkskammer Aachen",
    [("/artikel/x-33,0,1.html", "09.01.2024", "Internetseite derzeit nicht erreichbar")],
)


def test_redirect_to_the_shared_banner_host() -> None:
    verdict = classify_response(
        "https://www.hwk-dortmund.de/",
        200,
        "https://www.hwk-info.de/",
        BANNER_PAGE,
        redirect_chain=["https://www.hwk-dortmund.de/"],
    )
    assert verdict.outcome == "redirect_to_banner"
    assert verdict.banner == "Unsere Homepage ist derzeit nicht erreichbar"
    assert verdict.detail == (
        "outage host hwk-info.de; HTTP 200; redirected: "
        "https://www.hwk-dortmund.de/ -> https://www.hwk-info.de/"
    )


def test_banner_host_without_banner_text_is_still_the_banner() -> None:
    verdict = classify_response(HOME, 200, "https://whk-info.de/start", "<p>leer</p>")
    assert (verdict.outcome, verdict.banner) == ("redirect_to_banner", "whk-info.de")


def test_banner_on_the_own_host_and_banner_behind_an_error_status() -> None:
    assert classify_response(HOME, 200, HOME, BANNER_PAGE).outcome == "banner_page"
    verdict = classify_response(HOME, 503, HOME, BANNER_PAGE)
    assert (verdict.outcome, verdict.detail) == ("banner_page", "outage banner; HTTP 503")


def test_redirect_to_another_host_showing_the_banner_text() -> None:
    verdict = classify_response(HOME, 200, "http://stoerung.example.org/", BANNER_PAGE)
    assert verdict.outcome == "redirect_to_banner"


def test_http_errors() -> None:
    verdict = classify_response(HOME, 500, HOME, "<h1>Interner Fehler</h1>")
    assert (verdict.outcome, verdict.detail, verdict.banner) == ("http_error", "HTTP 500", None)
    assert classify_response(HOME, 404, HOME, "").outcome == "http_error"


def test_emergency_pages() -> None:
    short = classify_response("https://www.hwk-swf.de/", 200, None, EMERGENCY_PAGE)
    assert (short.outcome, short.banner) == ("emergency_page", "derzeit nicht erreichbar")
    moved = classify_response(
        "https://www.hwk-swf.de/", 200, "https://www.bbz-arnsberg.de/notfall", TEASER
    )
    assert moved.outcome == "emergency_page"
    assert moved.detail.startswith("emergency host bbz-arnsberg.de; HTTP 200; redirected")


def test_normal_pages_stay_ok() -> None:
    # the outage words only in a news teaser (a link) of a short home page
    assert classify_response(HOME, 200, HOME, TEASER).outcome == "ok"
    long_page = "<p>" + "Meisterkurse und Lehrgänge. " * 80 + "derzeit nicht erreichbar</p>"
    assert classify_response(HOME, 200, HOME, long_page).outcome == "ok"
    moved = classify_response("https://hwk-aachen.de/", 200, HOME, TEASER)
    assert (moved.outcome, moved.detail) == (
        "ok",
        "HTTP 200; redirected: https://hwk-aachen.de/ -> https://www.hwk-aachen.de/",
    )


def test_visible_text_skips_scripts_and_can_skip_links() -> None:
    page = (
        "<html><head><title>T</title><script>var x=1;</script></head>"
        "<body><p>Eins <a>zwei</a></p></body></html>"
    )
    assert visible_text(page) == "Eins zwei"
    assert visible_text(page, without_links=True) == "Eins"
    assert visible_text(b"") == ""


@pytest.mark.parametrize(
    ("names", "message", "outcome"),
    [
        (["CannotResolveHostError", "DNSLookupError"], "DNS lookup failed", "dns_failure"),
        (["DownloadTimeoutError", "TimeoutError"], "took longer than 1.0 seconds", "timeout"),
        (["DownloadConnectionRefusedError"], "Connection was refused", "connection_refused"),
        (["DownloadFailedError", "OpenSSL.SSL.Error"], "wrong version number", "tls_error"),
        (["DownloadFailedError", "Error"], "('SSL routines', '', 'bad record')", "tls_error"),
        (["ResponseDataLossError", "ConnectionLost"], "connection lost", "connection_error"),
        (["IgnoreRequest"], "Forbidden by robots.txt", "not_checked"),
    ],
)
def test_network_errors(names: list[str], message: str, outcome: str) -> None:
    verdict = classify_error(HOME, names, message)
    assert (verdict.outcome, verdict.detail) == (outcome, message)
    assert verdict.outcome in OUTCOMES


def test_redirect_to_banner_host_that_is_down_too() -> None:
    verdict = classify_error(
        HOME, ["CannotResolveHostError"], "DNS lookup failed", final_url="https://www.hwk-info.de/"
    )
    assert verdict.outcome == "redirect_to_banner"
    assert verdict.detail.startswith("outage host hwk-info.de failed: dns_failure; redirected")
    other = classify_error(HOME, ["DownloadTimeoutError"], "", final_url="https://neu.example/")
    assert other.outcome == "timeout"


def test_extra_outage_hosts() -> None:
    patterns = load_patterns().with_outage_hosts(["localhost", " "])
    assert patterns.outage_hosts[-1] == "localhost"
    verdict = classify_response(HOME, 200, "http://localhost:8080/x", "<p>x</p>", patterns=patterns)
    assert verdict.outcome == "redirect_to_banner"
    assert classify_response(HOME, 200, "http://localhost:8080/x", "<p>x</p>").outcome == "ok"


def test_failure_names_reach_the_wrapped_errors() -> None:
    try:
        raise CannotResolveHostError("DNS lookup failed: www.x.invalid") from DNSLookupError("x")
    except CannotResolveHostError:
        failure = Failure()
    names, message = failure_names(failure)
    assert {"CannotResolveHostError", "DNSLookupError"} <= set(names)
    assert classify_error(HOME, names, message).outcome == "dns_failure"

    class SSLError(Exception):  # stands in for OpenSSL.SSL.Error
        pass

    never = ResponseNeverReceived([Failure(SSLError("wrong version number"))])
    try:
        raise DownloadFailedError(str(never)) from never
    except DownloadFailedError:
        tls = Failure()
    names, message = failure_names(tls)
    assert "ResponseNeverReceived" in names
    assert message == "wrong version number"
    assert classify_error(HOME, names, message).outcome == "tls_error"


def test_unreachable_outcomes() -> None:
    assert "ok" not in UNREACHABLE
    assert "not_checked" not in UNREACHABLE
    assert {"dns_failure", "redirect_to_banner", "emergency_page"} <= UNREACHABLE
