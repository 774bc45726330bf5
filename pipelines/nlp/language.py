"""Build the spaCy pipeline from ``config.cfg``, once per process and language.

``get_nlp("de")`` returns spacy.blank("de") + kw_sentences (spaCy's punctuation
sentencizer rule and line breaks) + lookup lemmatizer (spacy-lookups-data, cached)
+ the kw_* components; ``get_nlp("en")`` the same for
English.  When a trained German pipeline (de_core_news_lg/md/sm) is importable
its NER is added as ``ner`` before the kw_* components; it only adds ``doc.ents``
that the organisation/people components may use, the rules stand alone.
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import load_config

import pipelines.nlp.components  # noqa: F401  (registers the kw_* factories)
from pipelines.nlp.extensions import register_extensions
from pipelines.nlp.gazetteer import DATA_DIR
from pipelines.resources import package_dir

CONFIG_PATH = package_dir("pipelines.nlp") / "config.cfg"
TRAINED_DE = ("de_core_news_lg", "de_core_news_md", "de_core_news_sm")
SUPPORTED = ("de", "en")
log = logging.getLogger(__name__)
# spaCy logs its initialisation steps through its own handler at INFO/DEBUG; keep runs quiet.
logging.getLogger("spacy").setLevel(logging.WARNING)


def find_trained_pipeline(names: tuple[str, ...] = TRAINED_DE) -> str | None:
    """The first installed trained German pipeline package, or None."""
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    return None


def build_nlp(lang: str = "de", data_dir: str | Path | None = None) -> Language:
    """A fresh, initialised pipeline for ``lang`` (``de`` or ``en``)."""
    register_extensions()
    if lang not in SUPPORTED:
        lang = "de"
    config = load_config(
        CONFIG_PATH,
        overrides={"paths.data": str(data_dir or DATA_DIR), "nlp.lang": lang},
        interpolate=False,
    )
    nlp = spacy.blank(lang, config=config)
    trained = find_trained_pipeline() if lang == "de" else None
    if trained:
        source = spacy.load(trained, exclude=["parser", "tagger", "morphologizer", "lemmatizer"])
        if "ner" in source.pipe_names:
            nlp.add_pipe("ner", source=source, before="kw_cues")
            log.info("using the NER of %s", trained)
    nlp.initialize()
    return nlp


@lru_cache(maxsize=4)
def get_nlp(lang: str = "de") -> Language:
    """The process-wide pipeline for ``lang`` (built on first use)."""
    return build_nlp(lang)


# Files of pipelines/nlp that do not change what is extracted (commands, scoring, the
# crawl-time pipeline wrapper, the gate's floors, the output schema).
_NOT_EXTRACTION = {
    "cli.py",
    "evaluate.py",
    "pipeline.py",
    "quality_floors.json",
    "facts.schema.json",
}


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """What the facts depend on besides the document: the extraction code, config and
    data files of this package, the chambers' domains (the crawler's site list),
    spaCy's version and the trained German pipeline in use.

    Stored with each document's facts (``facts.source_hash``), it makes an
    incremental extraction redo every document after the rules changed.
    """
    import hashlib
    from importlib import metadata

    from pipelines.resources import package_dir

    root = package_dir("pipelines.nlp")
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".cfg", ".json", ".jsonl", ".csv", ".txt") and (
            path.name not in _NOT_EXTRACTION and "__pycache__" not in path.parts
        ):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    # the chambers' domains come from the crawler's site list
    digest.update((package_dir("crawler") / "data" / "chamber_sites.csv").read_bytes())
    trained = find_trained_pipeline()
    versions = [f"spacy={spacy.__version__}"]
    for package in ("spacy-lookups-data", *([trained] if trained else [])):
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=?")
    digest.update(";".join(versions).encode())
    return digest.hexdigest()[:16]
