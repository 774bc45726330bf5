"""The JSON Schema of timeline.json (``data/timeline.schema.json``) and checks against it.

``jsonschema`` (a dev dependency) is used when installed; otherwise a small
validator covering exactly the keywords the schema uses (type, enum, const,
pattern, required, properties, additionalProperties, items, minItems,
maxItems, minimum, maximum, minLength, oneOf, $ref to $defs) does the check,
so ``kammerwatch timeline --check`` works in a plain install too.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from pipelines.timeline import data_path

SCHEMA_FILE = "timeline.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    """The timeline JSON Schema as a dict."""
    schema: dict[str, Any] = json.loads(data_path(SCHEMA_FILE).read_text("utf-8"))
    return schema


def validate(document: Any) -> list[str]:
    """Every schema violation as ``path: message``; empty when the document is valid."""
    schema = load_schema()
    try:
        from jsonschema import Draft202012Validator
    except ImportError:  # pragma: no cover - exercised by test_schema via the fallback directly
        return fallback_validate(document, schema)
    validator = Draft202012Validator(schema)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


def check_file(path: str | Path) -> list[str]:
    """Errors of a timeline.json file (unreadable or invalid JSON counts as an error)."""
    try:
        document = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{path}: cannot read JSON ({exc})"]
    return validate(document)


_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def fallback_validate(
    value: Any, schema: dict[str, Any], root: Any = None, path: str = ""
) -> list[str]:
    """A minimal Draft 2020-12 validator for the keywords this project's schema uses."""
    root = root if root is not None else schema
    where = path or "(root)"
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return fallback_validate(value, root["$defs"][name], root, path)
    errors: list[str] = []
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not fallback_validate(value, s, root, path)]
        if len(matches) != 1:
            errors.append(f"{where}: matches {len(matches)} of oneOf")
        return errors
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is_type(value, n) for n in names):
            return [f"{where}: {value!r:.60} is not of type {types}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r:.60} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: {value!r:.60} is not {schema['const']!r}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r:.60} does not match {schema['pattern']!r}")
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: {value!r:.60} is too short")
    if _is_type(value, "number"):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value} is less than {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value} is greater than {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{where}: more than {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                errors += fallback_validate(item, schema["items"], root, f"{path}/{i}".lstrip("/"))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: {key!r} is a required property")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                errors += fallback_validate(item, props[key], root, f"{path}/{key}".lstrip("/"))
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: additional property {key!r} is not allowed")
    return errors
