"""Helpers shared by the components: locating the data directory."""

from __future__ import annotations

from pathlib import Path

from pipelines.nlp.gazetteer import DATA_DIR


def data_path(data_dir: str | Path | None, name: str) -> Path:
    """``name`` inside ``data_dir`` (the config's ``paths.data``), else the package data."""
    root = Path(data_dir) if data_dir else DATA_DIR
    return root / name


def lang_file(data_dir: str | Path | None, stem: str, lang: str) -> Path:
    """``<stem>.<lang>.json``, falling back to the German file."""
    path = data_path(data_dir, f"{stem}.{lang}.json")
    return path if path.exists() else data_path(data_dir, f"{stem}.de.json")
