"""Made-up German reader comments about the ODAV incident, arranged as a thread tree.

Shared by the heise, golem and handwerksblatt fixture sites.  All text is our
own, written from the facts in INCIDENT.md.  :func:`make_tree` returns the
postings in thread order (pre-order: each posting followed by its replies),
with site ids assigned in chronological order, as forums number them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

AUTHORS = (
    "Meister_Röhrich", "bruzzler", "Handwerksfreund", "Elektro-Klaus", "Tischlerin aus Köln",
    "Admin_ohne_Urlaub", "Paulchen Panther", "SchornsteinFeger42", "Gerüstbauer",
    "Zweiradmechaniker", "K. Österreicher", "datenschutz_jetzt", "Azubi 3. Lehrjahr",
    "Mutti & Sohn GmbH", "pfälzer_bub",
)  # fmt: skip

SUBJECTS = (
    "Alles bei einem Anbieter",
    "Kammer Aachen seit Montag offline",
    "Prüfungen laufen trotzdem?",
    "Wieder mal ein Rechenzentrum",
    "Südwestfalen-IT lässt grüßen",
    "E-Mail geht auch nicht",
    "Datenabfluss nicht ausgeschlossen",
    "Kursbuchung per Telefon",
    "Wer prüft eigentlich die Dienstleister?",
    "Köln & Düsseldorf auch betroffen",
    "Notfallseite statt Homepage",
    "Backup vorhanden?",
)

SENTENCES = (
    "Bei uns in Aachen ist die Seite der Kammer seit Montag, dem 8. Januar, nicht erreichbar.",
    "Die Prüfungen sollen laut Aushang wie geplant stattfinden.",
    "Wenn 30 Kammern am selben Dienstleister hängen, ist das ein Klumpenrisiko.",
    "ODAV hat nach dem Angriff alle Systeme vom Netz genommen, das ist erst mal richtig.",
    "Ob Daten abgeflossen sind, kann wohl noch niemand sagen.",
    "Die Landesbeauftragte für den Datenschutz soll informiert worden sein.",
    "Meine Kursanmeldung habe ich dann per Telefon gemacht, ging problemlos.",
    "Das ist nicht derselbe Fall wie bei der Südwestfalen-IT im Oktober.",
    "Die Kammer in Köln war telefonisch erreichbar, nur die Online-Dienste lagen brach.",
    "Warum hostet eine Körperschaft ihre E-Mail bei einem externen Anbieter?",
    "Vermutlich wieder Ransomware, aber bestätigt ist nichts.",
    "Seit Freitag, dem 5. Januar, soll es Probleme geben.",
    "Die Pfalz war auch betroffen, Flensburg angeblich nur kurz.",
    "Ich arbeite im Handwerk und habe von der Sache erst aus der Zeitung erfahren.",
    "Eine Notfallseite mit Telefonnummern wäre das Mindeste gewesen.",
    "Bei uns in Dortmund läuft die Ausbildung ganz normal weiter.",
    "„Keine Hinweise auf Datenabfluss“ heißt nicht, dass nichts passiert ist.",
    "Die Betriebsberatung in Düsseldorf war per E-Mail nicht erreichbar.",
    "Drei Wochen danach ist die Lehrlingsrolle immer noch offline.",
    "Wer <script> in ein Forum schreibt, wird hier hoffentlich escaped.",
    "Backups & Notfallpläne kosten Geld, Ausfälle aber auch.",
    "Die Meldung an das BSI hätte man auch früher machen können.",
    "Straubing ist übrigens der Sitz von ODAV.",
    "Heute Morgen ging die Seite wieder, zumindest teilweise.",
)


@dataclass
class Node:
    """One posting of the generated thread."""

    site_id: int
    parent: Node | None
    depth: int
    author: str
    published: datetime
    subject: str
    paragraphs: list[str]
    quote: str | None = None  # a quoted paragraph of the parent (heise)
    children: list[Node] = field(default_factory=list)

    @property
    def parent_site_id(self) -> int | None:
        return self.parent.site_id if self.parent else None

    def thread_root(self) -> Node:
        node = self
        while node.parent is not None:
            node = node.parent
        return node


def make_tree(
    rng: random.Random,
    n_threads: int,
    max_depth: int,
    *,
    first_id: int,
    start: datetime,
    quotes: bool = False,
    max_children: int = 2,
) -> list[Node]:
    """Threads in pre-order; ids ascend with time (ties impossible: distinct minutes)."""
    roots: list[Node] = []
    made: list[Node] = []

    def paragraphs() -> list[str]:
        count = rng.randint(1, 3)
        out = []
        for _ in range(count):
            out.append(" ".join(rng.sample(SENTENCES, rng.randint(1, 2))))
        return out

    def grow(node: Node) -> None:
        if node.depth >= max_depth:
            return
        # the first thread always reaches max_depth; others branch at random
        wanted = 1 if node.thread_root() is roots[0] else rng.randint(0, max_children)
        for _ in range(wanted):
            child = Node(
                site_id=0,
                parent=node,
                depth=node.depth + 1,
                author=rng.choice(AUTHORS),
                published=node.published + timedelta(minutes=rng.randint(3, 300), seconds=17),
                subject=(
                    f"Re: {node.thread_root().subject}"
                    if rng.random() < 0.7
                    else rng.choice(SUBJECTS)
                ),
                paragraphs=paragraphs(),
                quote=node.paragraphs[0] if quotes and rng.random() < 0.5 else None,
            )
            node.children.append(child)
            made.append(child)
            grow(child)

    for number in range(n_threads):
        root = Node(
            site_id=0,
            parent=None,
            depth=1,
            author=rng.choice(AUTHORS),
            published=start + timedelta(minutes=47 * number, seconds=rng.randint(0, 59)),
            subject=SUBJECTS[number % len(SUBJECTS)],
            paragraphs=paragraphs(),
        )
        roots.append(root)
        made.append(root)
        grow(root)
    # distinct times (a forum's clock never repeats within one thread here)
    taken: set[datetime] = set()
    for node in made:
        while node.published in taken:
            node.published += timedelta(seconds=1)
        taken.add(node.published)
    for number, node in enumerate(sorted(made, key=lambda n: n.published)):
        node.site_id = first_id + 7 * number
    ordered: list[Node] = []

    def walk(node: Node) -> None:
        ordered.append(node)
        for child in node.children:
            walk(child)

    for root in roots:
        walk(root)
    return ordered


def iso(value: datetime) -> str:
    """Berlin ISO string with offset, as the crawler writes times."""
    return value.astimezone(BERLIN).replace(microsecond=0).isoformat()


def body_text(node: Node) -> str:
    """Expected body text in the project's paragraph format (quotes as "> ")."""
    parts = [f"> {node.quote}"] if node.quote else []
    parts += node.paragraphs
    return "\n\n".join(parts)


def with_subject(subject: str, body: str) -> str:
    """Expected comment text: own subject first, "Re: …" subjects left out."""
    parts = [] if subject.startswith("Re: ") else [subject]
    if body:
        parts.append(body)
    return "\n\n".join(parts)
