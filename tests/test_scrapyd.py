"""Scrapyd smoke test: deploy the project as an egg to a real Scrapyd and crawl with it.

A Scrapyd is started on 127.0.0.1 (free port, its own ``scrapyd.conf`` and directories in a
temporary folder, ``max_proc = 1``).  ``scrapyd-deploy`` builds the egg from a copy of the
project (``scrapy.cfg`` plus a ``[deploy:smoke]`` target, ``setup.py``, ``pyproject.toml``,
``crawler``, ``pipelines``) and uploads it.  Then a ``wordpress`` crawl of a generated WordPress
site on the repo's local test server is scheduled through ``schedule.json``, and its store
exports, item feed and log are checked.

Scrapyd and its crawls run without ``PYTHONPATH`` and outside the source tree, so the crawl
imports ``crawler`` and ``pipelines`` from the zipped egg (an editable install does not get in
the way: its import hook comes after ``sys.path``, where Scrapyd puts the egg).

Waiting is bounded and event driven: the test reads Scrapyd's output in a thread and wakes up
on every new line (``threading.Condition.wait`` with a short timeout, under an overall
deadline); there are no fixed sleeps.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from tests.httpserver import LocalSite
from tests.sites.wordpress import build_wordpress_site

REPO = Path(__file__).resolve().parents[1]
PROJECT = "kammerwatch"  # [deploy] project in scrapy.cfg
VERSION = "smoke-1"
# What scrapyd-deploy needs to build the egg (pyproject.toml names README.md as the readme).
PROJECT_FILES = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md")
PROJECT_PACKAGES = ("crawler", "pipelines")
STARTUP_SECONDS = 20
DEPLOY_SECONDS = 60
CRAWL_SECONDS = 45
HTTP_TIMEOUT = 30  # per request: addversion/listspiders start a Scrapy process on the server

MISSING = [name for name in ("scrapyd", "scrapyd_client") if importlib.util.find_spec(name) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{' and '.join(MISSING)} not installed (the dev extras have them: "
    "pip install -e '.[dev]')",
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env(home: Path) -> dict[str, str]:
    """This environment without anything that would let a crawl import the source tree.

    ``HOME`` points at ``home`` so that no ``~/.scrapyd.conf``, ``~/.scrapy.cfg`` or
    ``~/.netrc`` of the developer takes part.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTHONPATH" and not key.startswith(("SCRAPY_", "SCRAPYD_"))
    }
    env["HOME"] = str(home)
    env["TMPDIR"] = str(home)  # scrapyd-deploy's build folders go with the test's
    return env


class Scrapyd:
    """A Scrapyd process on 127.0.0.1 with its output collected line by line."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self._changed = threading.Condition()
        (home / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            "bind_address = 127.0.0.1\n"
            f"http_port = {self.port}\n"
            f"eggs_dir = {home / 'eggs'}\n"
            f"logs_dir = {home / 'logs'}\n"
            f"items_dir = {home / 'items'}\n"
            f"dbs_dir = {home / 'dbs'}\n"
            "jobs_dir =\n"
            "max_proc = 1\n"
            "poll_interval = 0.2\n",
            encoding="utf-8",
        )
        # Scrapyd reads ./scrapyd.conf: it runs in `home`, which has no scrapy.cfg above it.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scrapyd", f"--pidfile={home / 'twistd.pid'}"],
            cwd=home,
            env=clean_env(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        """Everything Scrapyd printed so far."""
        with self._changed:
            return "\n".join(self.lines)

    def wait_until(self, done: Callable[[], bool], seconds: float, what: str) -> None:
        """Check ``done`` after each new output line (or every 0.5 s) until it holds.

        Fails after ``seconds``, or at once when Scrapyd has exited.
        """
        deadline = time.monotonic() + seconds
        while not done():
            if self.process.poll() is not None:
                pytest.fail(f"Scrapyd exited ({self.process.returncode}):\n{self.output}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"timed out after {seconds} s waiting for {what}:\n{self.output}")
            with self._changed:
                self._changed.wait(min(0.5, remaining))

    def get(self, endpoint: str, **params: str) -> dict[str, Any]:
        """GET a JSON endpoint (``listjobs.json`` ...) and return its answer."""
        query = f"?{urlencode(params)}" if params else ""
        with urlopen(f"{self.url}{endpoint}{query}", timeout=HTTP_TIMEOUT) as response:
            data: dict[str, Any] = json.load(response)
        return data

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        """POST form fields (repeated names allowed) to a JSON endpoint."""
        body = urlencode(fields).encode("ascii")
        with urlopen(f"{self.url}{endpoint}", data=body, timeout=HTTP_TIMEOUT) as response:
            data: dict[str, Any] = json.load(response)
        return data

    def answers(self) -> bool:
        """True once daemonstatus.json answers."""
        try:
            with urlopen(f"{self.url}daemonstatus.json", timeout=1) as response:
                return bool(json.load(response).get("status") == "ok")
        except (URLError, OSError, ValueError):
            return False

    def stop(self) -> None:
        """Cancel running or pending jobs, then end the Scrapyd process."""
        if self.process.poll() is None:
            try:
                jobs = self.get("listjobs.json", project=PROJECT)
                for job in [*jobs.get("pending", []), *jobs.get("running", [])]:
                    self.post("cancel.json", [("project", PROJECT), ("job", job["id"])])
            except (URLError, OSError, ValueError):
                pass
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._reader.join(timeout=5)


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    """A running Scrapyd in ``tmp_path/scrapyd`` that answers daemonstatus.json."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    server = Scrapyd(home)
    try:
        server.wait_until(server.answers, STARTUP_SECONDS, "daemonstatus.json")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the files scrapyd-deploy packs: the build's ``build/`` and ``*.egg-info``
    stay out of the working tree."""
    target = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, target / name)
    for package in PROJECT_PACKAGES:
        shutil.copytree(
            REPO / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return target


def scrapyd_deploy(project: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run ``scrapyd-deploy ARGS`` in ``project``."""
    return subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", *args],
        cwd=project,
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=DEPLOY_SECONDS,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def spider_names() -> list[str]:
    """The spiders of the source tree, as ``scrapy list`` would print them."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    return sorted(
        SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["crawler.spiders"]})).list()
    )


def test_deploy_to_scrapyd_and_crawl_a_wordpress_site(
    scrapyd: Scrapyd, project: Path, local_site: LocalSite, tmp_path: Path
) -> None:
    # The crawl must not find the source tree on its path: only the egg has `crawler`.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib.machinery as m; print(m.PathFinder.find_spec('crawler'))",
        ],
        cwd=scrapyd.home,
        env=clean_env(scrapyd.home),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert probe.stdout.strip() == "None"

    # Deploy with the project's own scrapy.cfg and setup.py; the added [deploy:smoke] target
    # inherits `project` from [deploy] like [deploy:local] does.
    with (project / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
        cfg.write(f"\n[deploy:smoke]\nurl = {scrapyd.url}\n")
    deploy = scrapyd_deploy(project, "smoke", "--version", VERSION, home=tmp_path)
    assert deploy.returncode == 0, deploy.stderr + deploy.stdout
    answer = json.loads(deploy.stdout)
    assert answer["status"] == "ok", answer
    assert (answer["project"], answer["version"]) == (PROJECT, VERSION)
    egg = scrapyd.home / "eggs" / PROJECT / f"{VERSION}.egg"
    assert egg.is_file()

    expected_spiders = spider_names()
    assert {"wordpress", "news", "auto", "chambers"} <= set(expected_spiders)
    assert answer["spiders"] == len(expected_spiders)
    listed = scrapyd.get("listspiders.json", project=PROJECT)
    assert listed["status"] == "ok", listed
    assert sorted(listed["spiders"]) == expected_spiders
    assert scrapyd.get("listversions.json", project=PROJECT)["versions"] == [VERSION]

    # A WordPress post with nested comments over several HTML comment pages (no REST API).
    expected = build_wordpress_site(local_site, theme="html5", rest="none", n_threads=6)
    assert len(expected.page_urls) >= 2 and len(expected.comments) > 6
    out = tmp_path / "out"
    settings = {
        "KW_ALLOW_PRIVATE": "True",  # the fixture site is on 127.0.0.1
        "KW_OUT_DIR": str(out),
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "RETRY_TIMES": "0",
    }
    scheduled = scrapyd.post(
        "schedule.json",
        [
            ("project", PROJECT),
            ("spider", "wordpress"),
            ("urls", expected.post_url),
            *(("setting", f"{key}={value}") for key, value in settings.items()),
        ],
    )
    assert scheduled["status"] == "ok", scheduled
    job = scheduled["jobid"]

    def finished() -> bool:
        jobs = scrapyd.get("listjobs.json", project=PROJECT)
        return any(entry["id"] == job for entry in jobs["finished"])

    scrapyd.wait_until(finished, CRAWL_SECONDS, f"job {job} to finish")

    log = (scrapyd.home / "logs" / PROJECT / "wordpress" / f"{job}.log").read_text("utf-8")
    assert "Traceback" not in log, log
    assert "'finish_reason': 'finished'" in log
    if (os.cpu_count() or 1) >= 2:  # pages parsed by a worker started from the egg
        assert re.search(r"'kw/parse_pool/pages': [1-9]", log), log
        assert "parse_pool/broken" not in log

    # The store's exports, written by the egg's pipelines into KW_OUT_DIR.
    articles = read_jsonl(out / "articles.jsonl")
    comments = read_jsonl(out / "comments.jsonl")
    assert (out / "kammerwatch.db").is_file()
    assert len(articles) == 1
    article = articles[0]
    assert article["id"] == f"127.0.0.1:post:{expected.post_id}"
    assert article["title"] == expected.title
    assert article["author"] == expected.author
    assert article["comment_count"] == expected.comment_count
    assert len(comments) == len(expected.comments)
    assert {c["id"] for c in comments} == {
        f"127.0.0.1:comment:{c['site_id']}" for c in expected.comments
    }
    assert {c["text"] for c in comments} == {c["text"] for c in expected.comments}

    # Scrapyd's own item feed (items_dir): one Thread item, the same article and comments.
    feed = read_jsonl(scrapyd.home / "items" / PROJECT / "wordpress" / f"{job}.jl")
    assert len(feed) == 1
    assert feed[0]["article"]["id"] == article["id"]
    assert feed[0]["comments_complete"] is True
    assert sorted(c["id"] for c in feed[0]["comments"]) == sorted(c["id"] for c in comments)


# Activates the egg exactly as Scrapyd's runner does, then loads every data file a crawl reads.
EGG_PROBE = """
import json, sys
from scrapyd.runner import activate_egg

activate_egg(sys.argv[1])
import crawler
from crawler import relevance, sources
from crawler.observations import load_chamber_sites
from crawler.parsers import chamber_site, maintext, outage
from pipelines.nlp.facts import extract_records
from pipelines.nlp.gazetteer import DATA_DIR
from pipelines.timeline import data_path

NLP_DOC = json.loads(sys.argv[2])
print(json.dumps({
    "crawler": crawler.__file__,
    "settings": __import__("os").environ["SCRAPY_SETTINGS_MODULE"],
    "sources": [source.name for source in sources.all_sources()],
    "discovery": sorted(relevance.discovery_data()),
    "chamber_sites": [site.id for site in load_chamber_sites()],
    "notice_keywords": len(chamber_site.load_rules().keywords),
    "outage_hosts": len(outage.load_patterns().outage_hosts),
    "boilerplate_tags": sorted(maintext.load_patterns().remove_tags),
    "facts": list(extract_records([NLP_DOC])),
    "nlp_data": str(DATA_DIR),
    "timeline_schema": sorted(json.loads(data_path("timeline.schema.json").read_text("utf-8"))),
}))
"""
NLP_DOC = {
    "id": "x:post:1", "kind": "article", "url": "https://e.org/1",
    "published": "2024-01-10T10:00:00+01:00",
    "text": "Die Handwerkskammer Trier ist seit Montag offline, sagte eine Sprecherin.",
}  # fmt: skip


def test_crawl_time_data_files_load_from_the_zipped_egg(project: Path, tmp_path: Path) -> None:
    egg = tmp_path / "kammerwatch.egg"
    build = scrapyd_deploy(project, "--build-egg", str(egg), home=tmp_path)
    assert build.returncode == 0, build.stderr
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode("utf-8")
    assert "[scrapy]\nsettings = crawler.settings" in entry_points
    for data_file in (
        "crawler/data/sources.json",
        "crawler/data/chamber_sites.csv",
        "crawler/parsers/boilerplate.json",
        "pipelines/nlp/config.cfg",
        "pipelines/nlp/data/chambers.csv",
        "pipelines/timeline/data/timeline.schema.json",
    ):
        assert data_file in names, data_file
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)

    probe = subprocess.run(
        [sys.executable, "-c", EGG_PROBE, str(egg), json.dumps(NLP_DOC)],
        cwd=tmp_path,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    got = json.loads(probe.stdout)
    assert got["crawler"] == str(egg / "crawler" / "__init__.py")
    assert got["settings"] == "crawler.settings"

    from crawler import relevance, sources
    from crawler.observations import load_chamber_sites
    from crawler.parsers import chamber_site, maintext, outage

    assert got["sources"] == [source.name for source in sources.all_sources()]
    assert len(got["sources"]) > 3
    assert got["discovery"] == sorted(relevance.discovery_data())
    assert got["chamber_sites"] == [site.id for site in load_chamber_sites()]
    assert len(got["chamber_sites"]) == 53
    assert got["notice_keywords"] == len(chamber_site.load_rules().keywords) > 0
    assert got["outage_hosts"] == len(outage.load_patterns().outage_hosts) > 0
    assert got["boilerplate_tags"] == sorted(maintext.load_patterns().remove_tags)
    # extraction (KW_NLP=True, `kammerwatch extract`) and the timeline's data work from the egg
    # too: their data directories are copied out of the zip once per process
    from pipelines.nlp.facts import extract_records
    from pipelines.timeline import data_path

    assert not got["nlp_data"].startswith(str(egg))
    assert got["facts"] == list(extract_records([NLP_DOC]))
    assert [(c["id"], c["status"]) for c in got["facts"][0]["chambers"]] == [
        ("hwk-trier", "affected")
    ]
    schema = json.loads(data_path("timeline.schema.json").read_text("utf-8"))
    assert got["timeline_schema"] == sorted(schema)
