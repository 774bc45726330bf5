"""``kammerwatch extract`` / ``evaluate`` on temporary files, and the facts format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from crawler.cli import main
from pipelines.nlp.gazetteer import DATA_DIR

SCHEMA = json.loads((DATA_DIR / "facts.schema.json").read_text(encoding="utf-8"))
ARTICLE = {
    "id": "t:post:1", "kind": "article", "url": "https://example.org/a",
    "published": "2024-01-10T09:00:00+01:00", "title": "x", "language": "de",
    "text": "Die Website der Handwerkskammer Aachen ist seit gestern nicht erreichbar. "
    "Grund ist ein Cyberangriff auf den Dienstleister ODAV, sagte Sprecherin Anna Berg.",
}  # fmt: skip
COMMENT = {
    "id": "t:comment:2", "kind": "comment", "url": "https://example.org/a#c2",
    "published": None, "text": "Ist die HWK Flensburg auch betroffen?",
}  # fmt: skip


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_writes_one_valid_facts_line_per_document(tmp_path: Path, capsys: Any) -> None:
    src = write_jsonl(tmp_path / "articles.jsonl", [ARTICLE, "{broken", {"id": "x"}, COMMENT])
    out = tmp_path / "out" / "facts.jsonl"
    assert main(["extract", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{src}:2: skipped" in err and f"{src}:3: skipped: missing kind, url, text" in err
    facts = read_jsonl(out)
    assert [f["doc_id"] for f in facts] == ["t:post:1", "t:comment:2"]
    for f in facts:
        jsonschema.validate(f, SCHEMA)
    a = facts[0]
    assert (a["url"], a["kind"]) == ("https://example.org/a", "article")
    assert a["chambers"] == [
        {"id": "hwk-aachen", "status": "affected",
         "mentions": [{"text": "Aachen", "start": 32, "end": 38}]}
    ]  # fmt: skip
    assert a["dates"] == [
        {"value": "2024-01-09", "precision": "day", "text": "gestern", "start": 48, "end": 55,
         "relative": True}
    ]  # fmt: skip
    assert [(c["type"], c["polarity"], c["chambers"]) for c in a["claims"]] == [
        ("outage", "asserted", ["hwk-aachen"]),
        ("attack", "asserted", []),  # about the provider: no chamber
    ]
    attack = a["claims"][1]
    assert attack["speaker"] == "Anna Berg" and attack["attribution"] is None
    assert attack["date"] is None
    assert (
        ARTICLE["text"][attack["evidence"]["start"] : attack["evidence"]["end"]]
        == (attack["evidence"]["text"])
    )
    assert a["organizations"] == [
        {
            "name": "ODAV AG",
            "type": "provider",
            "mentions": [{"text": "ODAV", "start": 123, "end": 127}],
        }
    ]
    assert a["people"][0]["name"] == "Anna Berg" and a["people"][0]["role"] == "Sprecherin"
    c = facts[1]
    assert c["chambers"] == [
        {"id": "hwk-flensburg", "status": "mentioned",
         "mentions": [{"text": "Flensburg", "start": 12, "end": 21}]}
    ]  # fmt: skip
    # a question is an uncertain claim (tests/nlp/data/README.md, K3); the status stays mentioned
    assert [(x["type"], x["polarity"], x["chambers"]) for x in c["claims"]] == [
        ("outage", "uncertain", ["hwk-flensburg"])
    ]
    assert c["dates"] == []
    assert not list(out.parent.glob(".facts.jsonl.*"))  # temp file replaced atomically


def test_extract_fails_when_no_line_is_usable(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "bad.jsonl", ["not json", "[]"])
    out = tmp_path / "facts.jsonl"
    assert main(["extract", str(src), "-o", str(out)]) == 1
    assert not out.exists()  # nothing written (an earlier output would have been kept)


def test_extract_missing_file_is_an_error(tmp_path: Path) -> None:
    assert main(["extract", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "f.jsonl")]) == 2


def test_extract_reads_and_writes_the_store(tmp_path: Path) -> None:
    from crawler.items import Article
    from pipelines.store import Store

    db = tmp_path / "kw.db"
    with Store(db) as store:
        article = Article(
            id="s:post:1", url="https://e.org/1", canonical_url="https://e.org/1",
            source="e.org", title="t", text="Die HWK Köln ist offline.",
        )  # fmt: skip
        store.upsert(article)
    assert main(["extract", "--db", str(db)]) == 0
    with Store(db, readonly=True) as store:
        stored = list(store.iter_facts())
    assert [(f["doc_id"], [c["id"] for c in f["chambers"]]) for f in stored] == [
        ("s:post:1", ["hwk-koeln"])
    ]


def test_store_extraction_is_incremental(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    """Only new and changed documents are extracted again, all of them when the rules
    change or with --all; the facts equal those of a full extraction."""
    from crawler.items import Article, Comment
    from pipelines.nlp import language
    from pipelines.store import Store

    def article(n: int, text: str) -> Article:
        url = f"https://e.org/{n}"
        return Article(
            id=f"s:post:{n}", url=url, canonical_url=url, source="e.org", title="t", text=text,
            published="2024-01-09T10:00:00+01:00",
        )  # fmt: skip

    db = tmp_path / "kw.db"
    with Store(db) as store:
        store.upsert(article(1, "Die HWK Köln ist offline."))
        store.upsert(article(2, "Die Handwerkskammer Trier ist nicht betroffen."))
        store.upsert(
            Comment(
                id="s:comment:9", url="https://e.org/1#c9", article_url="https://e.org/1",
                article_id="s:post:1", parent_id=None, author="Leser",
                text="Bei der HWK Aachen geht seit gestern nichts.",
                published="2024-01-10T08:00:00+01:00",
            )
        )  # fmt: skip

    def run(*extra: str) -> tuple[str, dict[str, dict[str, Any]]]:
        assert main(["extract", "--db", str(db), *extra]) == 0
        line = capsys.readouterr().out.strip().splitlines()[-1]
        with Store(db, readonly=True) as store:
            return line, {f["doc_id"]: f for f in store.iter_facts()}

    line, first = run()
    assert line.startswith("extract: 3 documents") and "(0 unchanged" in line
    line, again = run()
    assert line.startswith("extract: 0 documents") and "(3 unchanged" in line
    assert again == first

    with Store(db) as store:
        store.upsert(article(2, "Die Handwerkskammer Trier ist seit Montag offline."))
    line, changed = run()
    assert line.startswith("extract: 1 documents") and "(2 unchanged" in line
    assert [c["id"] for c in changed["s:post:2"]["chambers"]] == ["hwk-trier"]
    assert changed["s:post:2"] != first["s:post:2"]
    assert {k: v for k, v in changed.items() if k != "s:post:2"} == {
        k: v for k, v in first.items() if k != "s:post:2"
    }

    line, _ = run("--all")
    assert line.startswith("extract: 3 documents")
    with Store(db) as store:  # fields the extractor reads beside the content hash
        store.db.execute("UPDATE comments SET url = 'https://e.org/1#c9-neu'")
        store.db.execute("UPDATE articles SET language = 'en' WHERE id = 's:post:1'")
        store.commit()
    line, moved = run()
    assert line.startswith("extract: 2 documents")
    assert moved["s:comment:9"]["url"] == "https://e.org/1#c9-neu"
    with Store(db) as store:  # a stored document the extractor cannot use is skipped
        store.db.execute(
            "INSERT INTO articles (id, url, canonical_url, source, title, text) "
            "VALUES ('s:post:3', 'https://e.org/3', 'https://e.org/3', 'e.org', 't', NULL)"
        )
        store.commit()
    assert main(["extract", "--db", str(db)]) == 0  # the others still have their facts
    assert "(3 unchanged since their facts were written, 1 skipped)" in capsys.readouterr().out
    monkeypatch.setattr(language, "extractor_fingerprint", lambda: "other-rules")
    line, _ = run()
    assert line.startswith("extract: 3 documents")  # facts of other rules are redone
    line, _ = run()
    assert line.startswith("extract: 0 documents")


def test_evaluate_prints_scores(tmp_path: Path, capsys: Any) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", [{
        "doc_id": "t:post:1", "chambers_affected": ["hwk-aachen", "hwk-koeln"],
        "chambers_not_affected": [], "chambers_mentioned": [],
        "dates": [{"value": "2024-01-09", "precision": "day"}],
        "claims": [{"type": "outage", "polarity": "asserted", "chambers": ["hwk-aachen"]}],
    }])  # fmt: skip
    docs = write_jsonl(tmp_path / "docs.jsonl", [ARTICLE])
    assert main(["evaluate", str(gold), "--docs", str(docs), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["chambers_affected"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "tp": 1, "fp": 0, "fn": 1}
    )
    assert scores["claims"]["precision"] == 0.5 and scores["claims"]["recall"] == 1.0
    assert scores["claim_triples"]["tp"] == 1 and scores["claim_triples"]["fp"] == 1
    assert scores["dates"]["f1"] == 1.0
    pred = tmp_path / "facts.jsonl"
    assert main(["extract", str(docs), "-o", str(pred)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(gold), "--pred", str(pred)]) == 0
    table = capsys.readouterr().out
    assert "chambers_affected          1.000   0.500   0.667" in table
