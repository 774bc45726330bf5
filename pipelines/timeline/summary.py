"""One German sentence per event, generated from the facts.

``Die Website der Handwerkskammer Aachen war nicht erreichbar (laut WDR, 9. Januar 2024).``

The sentence names the chamber (or the provider), says what happened with the
claim's polarity (asserted: indicative; negated: negation; uncertain: "soll" /
"nicht auszuschließen"), and cites the strongest, earliest source with its
publication day; an event seen only in reader comments says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.timeline.dates import german_timestamp

if TYPE_CHECKING:
    from pipelines.timeline.chambers import Chamber
    from pipelines.timeline.events import Event

# (type, polarity) -> (sentence with {c} = chamber name, sentence without chamber)
SENTENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("outage", "asserted"): (
        "Die Website der {c} war nicht erreichbar",
        "Websites und Online-Dienste von Handwerkskammern waren nicht erreichbar",
    ),
    ("outage", "negated"): (
        "Die Website der {c} war normal erreichbar",
        "Websites von Handwerkskammern waren normal erreichbar",
    ),
    ("outage", "uncertain"): (
        "Die Website der {c} soll nicht erreichbar gewesen sein",
        "Websites von Handwerkskammern sollen nicht erreichbar gewesen sein",
    ),
    ("restored", "asserted"): (
        "Die Website der {c} war wieder erreichbar",
        "Erste Systeme waren wieder online",
    ),
    ("restored", "negated"): (
        "Die Website der {c} war noch nicht wieder erreichbar",
        "Die Systeme waren noch nicht wieder online",
    ),
    ("restored", "uncertain"): (
        "Die Website der {c} soll wieder erreichbar gewesen sein",
        "Systeme sollen wieder online gewesen sein",
    ),
    ("attack", "asserted"): (
        "Die {c} war von einem Cyberangriff betroffen",
        "Der IT-Dienstleister {p} wurde Ziel eines Cyberangriffs",
    ),
    ("attack", "negated"): (
        "Ein Cyberangriff auf die {c} wurde bestritten",
        "Ein Cyberangriff auf {p} wurde bestritten",
    ),
    ("attack", "uncertain"): (
        "Die {c} soll von einem Cyberangriff betroffen gewesen sein",
        "Ein Cyberangriff auf {p} wurde vermutet",
    ),
    ("services_continue", "asserted"): (
        "Bei der {c} liefen Prüfungen, Kurse und Beratung weiter",
        "Prüfungen, Kurse und Beratung der Kammern liefen weiter",
    ),
    ("services_continue", "negated"): (
        "Bei der {c} fielen Prüfungen oder Kurse aus",
        "Prüfungen oder Kurse der Kammern fielen aus",
    ),
    ("services_continue", "uncertain"): (
        "Ob bei der {c} Prüfungen und Kurse weiterliefen, war unklar",
        "Ob Prüfungen und Kurse weiterliefen, war unklar",
    ),
    ("data_breach", "asserted"): (
        "Bei der {c} sind Daten abgeflossen",
        "Beim Angriff auf {p} sind Daten abgeflossen",
    ),
    ("data_breach", "negated"): (
        "Ein Abfluss von Daten der {c} wurde ausgeschlossen",
        "Ein Abfluss von Daten wurde ausgeschlossen",
    ),
    ("data_breach", "uncertain"): (
        "Ein Abfluss von Daten der {c} war nicht auszuschließen",
        "Ob Daten abgeflossen sind, war unklar",
    ),
    ("authority_notified", "asserted"): (
        "Die {c} hat Behörden informiert{a}",
        "Behörden wurden informiert{a}",
    ),
    ("authority_notified", "negated"): (
        "Die {c} hat keine Behörde informiert",
        "Behörden wurden nicht informiert",
    ),
    ("authority_notified", "uncertain"): (
        "Ob die {c} Behörden informiert hat, war unklar",
        "Ob Behörden informiert wurden, war unklar",
    ),
}

EMAIL_OUTAGE = "Bei der {c} waren nur die E-Mail-Postfächer gestört"

# Short labels for conflict descriptions and the report.
LABELS: dict[tuple[str, str], str] = {
    ("outage", "asserted"): "nicht erreichbar",
    ("outage", "negated"): "erreichbar",
    ("outage", "uncertain"): "angeblich nicht erreichbar",
    ("restored", "asserted"): "wieder erreichbar",
    ("restored", "negated"): "noch nicht wieder erreichbar",
    ("restored", "uncertain"): "angeblich wieder erreichbar",
    ("attack", "asserted"): "Cyberangriff",
    ("attack", "negated"): "kein Cyberangriff",
    ("attack", "uncertain"): "Cyberangriff vermutet",
    ("services_continue", "asserted"): "Betrieb läuft weiter",
    ("services_continue", "negated"): "Betrieb eingeschränkt",
    ("services_continue", "uncertain"): "unklar, ob der Betrieb weiterläuft",
    ("data_breach", "asserted"): "Daten abgeflossen",
    ("data_breach", "negated"): "Datenabfluss ausgeschlossen",
    ("data_breach", "uncertain"): "Datenabfluss nicht auszuschließen",
    ("authority_notified", "asserted"): "Behörden informiert",
    ("authority_notified", "negated"): "keine Behörde informiert",
    ("authority_notified", "uncertain"): "unklar, ob Behörden informiert sind",
}

TYPE_NAMES = {
    "attack": "Angriff",
    "outage": "Ausfall",
    "services_continue": "Betrieb läuft weiter",
    "data_breach": "Datenabfluss",
    "authority_notified": "Behörden informiert",
    "restored": "Wiederherstellung",
}
POLARITY_NAMES = {"asserted": "bestätigt", "negated": "verneint", "uncertain": "unsicher"}
KIND_NAMES = {
    "notice": "amtliche Mitteilung",
    "observation": "Beobachtung",
    "article": "Artikel",
    "comment": "Leserkommentar",
}


def label(type_: str, polarity: str, scope: str | None = None) -> str:
    """Short German label of a claim type and polarity (``nicht erreichbar``)."""
    if type_ == "outage" and polarity == "asserted" and scope == "email":
        return "nur E-Mail gestört"
    return LABELS[(type_, polarity)]


def _authorities(names: list[str]) -> str:
    """``: A, B und C`` (the authorities named in the evidence), empty when none is."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]
    return ": " + listed


def summarize(event: Event, chambers: dict[str, Chamber], provider: str) -> str:
    """The German summary sentence of an event."""
    with_chamber, without = SENTENCES[(event.type, event.polarity)]
    names = [chambers[c].official_name for c in event.chambers if c in chambers]
    authorities = [o for o in event.organizations if o != provider]
    if names:
        template = with_chamber
        if event.type == "outage" and event.polarity == "asserted" and event.scope == "email":
            template = EMAIL_OUTAGE
        name = " und der ".join(names)
        sentence = template.format(c=name, p=provider, a=_authorities(authorities))
    else:
        sentence = without.format(p=provider, a=_authorities(authorities))
    return sentence + " (" + citation(event) + ")."


def citation(event: Event) -> str:
    """``laut WDR, 9. Januar 2024`` (strongest, earliest source) plus the number of others."""
    docs = event.documents
    if not docs:
        return "ohne Quelle"
    best = docs[0]
    who = f"einem Leserkommentar bei {best.outlet}" if best.kind == "comment" else best.outlet
    day = german_timestamp(best.published)
    text = f"laut {who}" + (f", {day}" if day else "")
    others = len(docs) - 1
    if others:
        text += ", und einer weiteren Quelle" if others == 1 else f", und {others} weiteren Quellen"
    if event.comment_only:
        text += "; nur in Leserkommentaren berichtet"
    return text
