"""Organisations (provider, authorities, media, other incidents) and people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Run = Callable[..., dict[str, Any]]


def orgs(f: dict[str, Any]) -> set[tuple[str, str]]:
    return {(o["name"], o["type"]) for o in f["organizations"]}


@pytest.mark.parametrize("alias", ["ODAV", "Odav", "ODAV AG", "O.D.A.V.", "ODAV-AG"])
def test_provider_spellings(facts: Run, alias: str) -> None:
    assert orgs(facts(f"Der Dienstleister {alias} wurde angegriffen.")) == {("ODAV AG", "provider")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das BSI und das LKA ermitteln.", {("BSI", "authority"), ("LKA", "authority")}),
        ("Die Staatsanwaltschaft und die ZCB sind eingeschaltet.",
         {("Staatsanwaltschaft", "authority")}),
        ("Der Landesbeauftragte für Datenschutz Rheinland-Pfalz wurde informiert.",
         {("Datenschutzaufsicht", "authority")}),
        ("Die Polizei Köln ermittelt.", {("Polizei", "authority")}),
        ("Das berichtet die Rheinpfalz.", {("Die Rheinpfalz", "media")}),
        ("Wie bei der Südwestfalen IT waren Kommunen offline.",
         {("Südwestfalen IT", "other_incident")}),
        ("Die IHK Aachen ist nicht betroffen.", {("IHK", "other_chamber")}),
        ("Das sit bleibt.", set()),
    ],
)  # fmt: skip
def test_organizations(facts: Run, text: str, expected: set[tuple[str, str]]) -> None:
    assert orgs(facts(text)) == expected


def test_authority_name_swallows_the_state_not_a_chamber(facts: Run) -> None:
    f = facts("Die Kammer hat den Landesbeauftragten für Datenschutz des Saarlandes informiert.")
    assert f["chambers"] == []
    assert f["organizations"][0]["mentions"][0]["text"] == (
        "Landesbeauftragten für Datenschutz des Saarlandes"
    )


def test_attribution_to_outlet(facts: Run) -> None:
    f = facts("Die Handwerkskammer der Pfalz ist offline, berichtet die Rheinpfalz.")
    assert [(c["attribution"], c["speaker"]) for c in f["claims"]] == [("Die Rheinpfalz", None)]


@pytest.mark.parametrize(
    ("text", "name", "role", "affiliation"),
    [
        ("„Wir sind erreichbar“, sagt Hauptgeschäftsführer Peter Schmitz.",
         "Peter Schmitz", "Hauptgeschäftsführer", None),
        ("Anna Berg, Sprecherin der Handwerkskammer Dortmund, bestätigte den Ausfall.",
         "Anna Berg", "Sprecherin", "hwk-dortmund"),
        ("So Dr. Jan Meier, Vorstand der ODAV AG.", "Jan Meier", "Vorstand", "ODAV AG"),
        ("Kammersprecherin Ulrike Brandt sagte, die Kurse laufen.",
         "Ulrike Brandt", "Kammersprecherin", "Handwerkskammer"),
    ],
)  # fmt: skip
def test_people(facts: Run, text: str, name: str, role: str, affiliation: str | None) -> None:
    people = facts(text)["people"]
    assert [(p["name"], p["role"], p["affiliation"]) for p in people] == [(name, role, affiliation)]


def test_no_person_without_first_name_or_title(facts: Run) -> None:
    assert facts("Die Kammer Aachen bleibt zu, sagte der Sprecher.")["people"] == []
