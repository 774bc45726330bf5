"""kw_dates: date mentions from :func:`pipelines.nlp.dates.find_dates`.

Relative expressions are resolved against the document's own date, taken from
``doc._.kw_meta["published"]`` (an article's publication time, a comment's own
timestamp); without it they stay unresolved (value None, flagged by find_dates).
"""

from __future__ import annotations

from datetime import date, datetime

from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp.dates import find_dates
from pipelines.nlp.extensions import doc_state, register_extensions
from pipelines.nlp.tokens import get_view


def parse_anchor(value: object) -> datetime | date | None:
    """The document date from an ISO 8601 string (or date/datetime), None when unusable."""
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


class DateTagger:
    """Writes ``doc._.kw_dates`` (list of DateMention, character offsets)."""

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name
        self.lang: str = nlp.lang or "de"

    def __call__(self, doc: Doc) -> Doc:
        meta = doc_state(doc).kw_meta or {}
        anchor = parse_anchor(meta.get("published"))
        doc_state(doc).kw_dates = find_dates(get_view(doc).text, anchor, lang=self.lang)
        return doc


@Language.factory("kw_dates", assigns=["doc._.kw_dates"])
def make_date_tagger(nlp: Language, name: str) -> DateTagger:
    """Factory of the date tagger."""
    return DateTagger(nlp, name)
