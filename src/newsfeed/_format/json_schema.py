"""A JSON Schema of the front matter, generated from :mod:`newsfeed._format.schema`.

Editors (through yaml-language-server) and validators such as the
``jsonschema`` package can check an article's front matter with it. Nothing
here names a field: every property, type and requirement comes from the
schema's :class:`~newsfeed._format.schema.Field` lines, so a field added there
appears here with no other edit.
"""

from __future__ import annotations

from typing import Any, Final

from newsfeed._format.schema import ARTICLE, SCHEMAS, Field, Kind, Schema

__all__ = ["SCHEMA_ID", "TIMESTAMP_PATTERN", "json_schema"]

#: The schema's name. A URN, not a web address: the project publishes no
#: schema on the web; editors load it from the file ``newsfeed schema`` writes.
SCHEMA_ID: Final = "urn:newsfeed-articles:schema:front-matter"
#: The format's timestamp as text: a date, or a date and a time to the second
#: with at most six digits of fractions, then ``Z``, an offset or nothing
#: (UTC). Unquoted, :func:`newsfeed.loads` also takes YAML 1.1's looser
#: forms (``2020-6-1 1:02:00 +05``: one-digit parts, a lower-case ``t`` or
#: blanks between date and time, blanks before the offset, an hour-only
#: offset), which JSON cannot tell from quoted text: they match too; and
#: the ISO form's offset may end in ``:00`` seconds. A test
#: holds this pattern and the reader together. The look-ahead keeps
#: Python's ``$`` from matching before a final line feed, as ECMA-262's
#: ``$`` (JSON Schema's regular expressions) does not.
TIMESTAMP_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$"
    r"|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]{0,6})?"
    r"([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2}(:00)?)?))?(?!\n)$"
)
_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
_NULL: Final = {"type": "null"}

#: The JSON Schema of each kind of value that is not a mapping.
_SCALARS: Final[dict[Kind, dict[str, Any]]] = {
    Kind.STR: {"type": "string"},
    Kind.INT: {"type": "integer"},
    Kind.BOOL: {"type": "boolean"},
    Kind.TIMESTAMP: {"type": "string", "pattern": TIMESTAMP_PATTERN},
    Kind.STRS: {"type": "array", "items": {"type": "string"}},
}


def _reference(cls: type) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{cls.__name__}"}


def _value(field: Field) -> dict[str, Any]:
    """Return the JSON Schema of one field's value, null aside."""
    if field.kind is Kind.OBJECT:
        return _reference(field.item)  # type: ignore[arg-type]
    if field.kind is Kind.OBJECTS:
        return {"type": "array", "items": _reference(field.item)}  # type: ignore[arg-type]
    if field.kind is Kind.STRS and field.drop_null_items:
        # A null item is left out with a warning rather than refused.
        return {"type": "array", "items": {"type": ["string", "null"]}}
    return dict(_SCALARS[field.kind])


def _property(field: Field) -> dict[str, Any]:
    """Return the JSON Schema of one field's value; an optional field may be null (absent)."""
    value = _value(field)
    if field.required:
        return value
    if "type" in value:
        return {**value, "type": [value["type"], "null"]}
    return {"anyOf": [value, _NULL]}


def _present(key: str) -> dict[str, Any]:
    """Return the rule that *key* is there and not null: a null key counts as absent."""
    return {"required": [key], "properties": {key: {"not": _NULL}}}


def _definition(schema: Schema) -> dict[str, Any]:
    """Return the JSON Schema of one class's mapping."""
    definition: dict[str, Any] = {
        "type": "object",
        "title": schema.cls.__name__,
        "properties": {field.key: _property(field) for field in schema.fields},
        # Keys the model does not know are kept (in ``extra``), not refused.
        "additionalProperties": True,
    }
    if schema.required:
        definition["required"] = [field.key for field in schema.required]
    if schema.one_of:
        rules = [{"anyOf": [_present(key) for key in keys]} for keys in schema.one_of]
        if len(rules) == 1:
            definition.update(rules[0])
        else:  # pragma: no cover -- the format has one such rule today
            definition["allOf"] = rules
    return definition


def json_schema() -> dict[str, Any]:
    """Return a JSON Schema (draft 2020-12) of an article file's front matter.

    Each class of the model (:class:`~newsfeed.Article`,
    :class:`~newsfeed.RelatedArticle`, :class:`~newsfeed.Provider`,
    :class:`~newsfeed.Image`) is a ``$defs`` entry, with the file's key names,
    its required keys and its value types; timestamps are strings in the
    format's own form. Unknown keys are allowed, as :func:`newsfeed.loads`
    keeps them, and so is null for an optional key, which ``loads`` takes
    for an absent one. Every front matter ``loads`` accepts validates; JSON
    cannot tell what YAML can, so a few it refuses validate too (a quoted
    timestamp in YAML 1.1's loose form, ``quality: 1.0``). A new dictionary
    is returned on each call.
    """
    definitions = {cls.__name__: _definition(schema) for cls, schema in SCHEMAS.items()}
    return {
        "$schema": _DIALECT,
        "$id": SCHEMA_ID,
        "title": "newsfeed article front matter",
        "description": "The YAML front matter of a news-article Markdown file.",
        **_reference(ARTICLE.cls),
        "$defs": definitions,
    }
