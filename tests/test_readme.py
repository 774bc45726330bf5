"""The README tells the truth about what is generated from data."""

from pathlib import Path

from crawler.sources import render_readme

README = Path(__file__).resolve().parents[1] / "README.md"


def test_source_table_is_generated_from_the_registry() -> None:
    text = README.read_text("utf-8")
    assert render_readme(text) == text, "run `python -m crawler.sources` to regenerate it"


def test_readme_opens_with_the_two_commands() -> None:
    head = README.read_text("utf-8").splitlines()[:6]
    assert "make run" in "\n".join(head) and "make test" in "\n".join(head)
