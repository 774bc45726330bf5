"""report.html in headless Chromium: filters work, no script from content runs, screenshot.

Skipped when /usr/bin/chromium is missing (Debian: ``apt-get install -y chromium``).
Chromium is driven with ``--dump-dom`` and ``--screenshot`` only: a copy of the
report gets a small test script (admitted by its CSP hash) that clicks the
controls and writes what it saw into ``body[data-test-result]``.
"""

from __future__ import annotations

import html
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from pipelines.timeline.report import csp_hash, render_report

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="headless test needs /usr/bin/chromium (apt-get install chromium)"
)

DRIVER = """
window.addEventListener("load", function () { setTimeout(function () {
  var out = {pwned: typeof window.__pwned === "undefined" ? null : window.__pwned};
  var all = function () {
    return Array.prototype.slice.call(document.querySelectorAll("li.event[data-type]"));
  };
  var shown = function () { return all().filter(function (li) { return !li.hidden; }); };
  var change = function (id, value) {
    var el = document.getElementById(id);
    if (el.type === "checkbox") { el.checked = value; } else { el.value = value; }
    el.dispatchEvent(new Event("change"));
  };
  out.total = all().length;
  document.querySelector('button.chamber[data-chamber="hwk-duesseldorf"]').click();
  out.chamber = shown().map(function (li) { return li.dataset.chambers; });
  out.count_text = document.getElementById("f-count").textContent;
  out.hash = location.hash;
  change("f-type", "restored");
  out.chamber_and_type = shown().map(function (li) { return li.dataset.type; });
  document.getElementById("f-reset").click();
  out.after_reset = shown().length;
  change("f-kind", "comment");
  out.kind = shown().map(function (li) { return li.dataset.kinds; });
  document.getElementById("f-reset").click();
  change("f-state", "Schleswig-Holstein");
  out.state = shown().map(function (li) { return li.dataset.chambers; });
  out.rows = Array.prototype.filter.call(document.querySelectorAll("tr[data-chamber]"),
    function (tr) { return !tr.hidden; }).length;
  document.getElementById("f-reset").click();
  change("f-conflicts", true);
  out.conflicts = shown().map(function (li) { return li.id; });
  out.imgs = document.querySelectorAll("img").length;
  out.scripts = document.querySelectorAll("script").length;
  var planted = "<" + "script>window.__pwned=1<" + "/script>";
  out.text_shown = document.body.textContent.indexOf(planted) >= 0;
  out.not_focusable = Array.prototype.filter.call(
    document.querySelectorAll("button, select, input, summary, a[href]"),
    function (el) { return el.tabIndex < 0; }).length;
  out.pwned_after = typeof window.__pwned === "undefined" ? null : window.__pwned;
  document.body.setAttribute("data-test-result", JSON.stringify(out));
}, 100); });
"""


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={tmp / 'profile'}", *args,
        ],
        capture_output=True, text=True, timeout=40,
    )  # fmt: skip


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, small: dict[str, Any]) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    page = render_report(small)
    (tmp / "report.html").write_text(page, "utf-8")
    with_driver = page.replace("</body>", f"<script>{DRIVER}</script>\n</body>")
    with_driver = with_driver.replace(
        "script-src ", "script-src " + html.escape(csp_hash(DRIVER), quote=True) + " ", 1
    )
    (tmp / "driven.html").write_text(with_driver, "utf-8")
    return tmp


@pytest.fixture(scope="module")
def result(pages: Path) -> dict[str, Any]:
    proc = chromium(
        "--virtual-time-budget=5000", "--dump-dom", (pages / "driven.html").as_uri(), tmp=pages
    )
    match = re.search(r'data-test-result="([^"]*)"', proc.stdout)
    assert match, proc.stderr[-2000:]
    data: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return data


def test_chamber_filter_shows_only_its_events(
    result: dict[str, Any], small: dict[str, Any]
) -> None:
    want = [e["chambers"] for e in small["events"] if "hwk-duesseldorf" in e["chambers"]]
    assert result["total"] == len(small["events"]) == 12
    assert result["chamber"] == ["|".join(c) for c in want] and len(want) == 2
    assert result["count_text"] == "2 von 12 Ereignissen"
    assert result["hash"] == "#chamber=hwk-duesseldorf"
    assert result["chamber_and_type"] == ["restored"]
    assert result["after_reset"] == 12


def test_other_filters(result: dict[str, Any], small: dict[str, Any]) -> None:
    assert result["kind"] and all("comment" in k.split("|") for k in result["kind"])
    comment_events = [
        e for e in small["events"] if any(s["kind"] == "comment" for s in e["sources"])
    ]
    assert len(result["kind"]) == len(comment_events) == 4
    assert sorted(result["state"]) == ["hwk-flensburg", "hwk-flensburg", "hwk-luebeck"]
    assert result["rows"] == 2  # Flensburg and Lübeck in the status table
    conflicted = [e["id"] for e in small["events"] if e["conflicts"]]
    assert result["conflicts"] == conflicted and len(conflicted) == 4


def test_no_script_from_content_runs(result: dict[str, Any]) -> None:
    assert result["pwned"] is None and result["pwned_after"] is None
    assert result["imgs"] == 0 and result["scripts"] == 2  # the report's and the driver's
    assert result["text_shown"] is True


def test_keyboard_reachable(result: dict[str, Any]) -> None:
    assert result["not_focusable"] == 0


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB/RGBA PNG (stdlib only)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, ihdr = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            ihdr = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", ihdr[:10])
    assert depth == 8 and colour in (2, 6)
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif ftype == 4:
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i : i + 3]) for r in rows for i in range(0, stride, bpp * 4)]


def test_screenshot_is_not_blank(pages: Path) -> None:
    shot = pages / "shot.png"
    proc = chromium(
        "--window-size=640,480", f"--screenshot={shot}", (pages / "report.html").as_uri(), tmp=pages
    )
    assert shot.exists(), proc.stderr[-2000:]
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (640, 480)
    background = max(set(pixels), key=pixels.count)
    ink = sum(1 for p in pixels if p != background) / len(pixels)
    assert len(set(pixels)) > 20 and ink > 0.02, (len(set(pixels)), ink)
