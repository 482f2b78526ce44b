"""The JSON Schema of the front matter: generated from the schema, valid, and true to the files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import yaml

import newsfeed
from newsfeed._cli.main import main
from newsfeed._format import json_schema as json_schema_module
from newsfeed._format.schema import IMAGE, SCHEMAS, Field, Kind, Schema

ROOT = Path(__file__).parent.parent
SAMPLES = sorted(
    [
        *(ROOT / "tests" / "fixtures").glob("*.md"),
        *(ROOT / "tests" / "fixtures" / "real").glob("*.md"),
        *(ROOT / "examples" / "data").glob("*.md"),
    ]
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _TextTimestampLoader(yaml.SafeLoader):
    """YAML's safe loader, but a timestamp stays the text the file holds, as JSON has no dates."""


_TextTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front_matter(text: str) -> Any:
    """Return the front matter of *text* as plain YAML data, timestamps as strings."""
    match = _FRONT_MATTER.match(text)
    assert match is not None
    return yaml.load(match.group(1), Loader=_TextTimestampLoader)  # noqa: S506 -- a SafeLoader


def validator() -> jsonschema.Draft202012Validator:
    """Return a validator of the generated schema."""
    return jsonschema.Draft202012Validator(newsfeed.json_schema())


def errors_of(document: object) -> list[str]:
    """Return the message of each validation error of *document*."""
    return [error.message for error in validator().iter_errors(document)]


GOOD: dict[str, Any] = {
    "title": "Hello",
    "publishedDateTime": "2020-06-11T12:02:00Z",
    "webUrl": "https://example.com/hello",
}


class TestSchemaItself:
    """The generated document is a valid draft 2020-12 schema with a name and a title."""

    def test_check_schema(self) -> None:
        """The meta-schema check of `jsonschema` accepts it."""
        jsonschema.Draft202012Validator.check_schema(newsfeed.json_schema())

    def test_dialect_id_and_title(self) -> None:
        """It names its dialect, its `$id` and a title, and refers to the Article definition."""
        schema = newsfeed.json_schema()

        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == json_schema_module.SCHEMA_ID
        assert schema["title"]
        assert schema["$ref"] == "#/$defs/Article"

    def test_serializes_as_json(self) -> None:
        """It is plain JSON data: it survives a JSON round trip unchanged."""
        schema = newsfeed.json_schema()

        assert json.loads(json.dumps(schema)) == schema

    def test_fresh_each_call(self) -> None:
        """Changing the returned dict does not change the next one."""
        first = newsfeed.json_schema()
        first["$defs"].clear()

        assert newsfeed.json_schema()["$defs"]


class TestDerivedFromSchema:
    """Every field of the format's schema, and nothing else, is in the JSON Schema."""

    @pytest.mark.parametrize("schema", SCHEMAS.values(), ids=lambda s: s.cls.__name__)
    def test_every_field_appears(self, schema: Schema) -> None:
        """Each class is a `$defs` entry: its file keys as properties, its required ones."""
        definition = newsfeed.json_schema()["$defs"][schema.cls.__name__]

        assert list(definition["properties"]) == [field.key for field in schema.fields]
        assert definition.get("required", []) == [field.key for field in schema.required]
        assert definition["additionalProperties"] is True

    def test_kinds_give_types(self) -> None:
        """Each kind maps to its JSON type: strings, integers, booleans, lists, references."""
        properties = newsfeed.json_schema()["$defs"]["Article"]["properties"]

        assert properties["title"] == {"type": "string"}
        assert properties["quality"] == {"type": ["integer", "null"]}
        assert properties["published"] == {"type": ["boolean", "null"]}
        assert properties["publishedDateTime"]["type"] == "string"
        assert properties["provider"] == {"anyOf": [{"$ref": "#/$defs/Provider"}, {"type": "null"}]}
        assert properties["related"] == {
            "type": ["array", "null"],
            "items": {"$ref": "#/$defs/RelatedArticle"},
        }
        assert properties["topics"]["type"] == ["array", "null"]

    def test_one_of_rule_is_any_of_required(self) -> None:
        """The rule "webUrl or originalUrl" is an `anyOf` of `required` and not null."""
        article = newsfeed.json_schema()["$defs"]["Article"]

        assert article["anyOf"] == [
            {"required": [key], "properties": {key: {"not": {"type": "null"}}}}
            for key in ("webUrl", "originalUrl")
        ]

    def test_a_new_field_appears_with_no_other_edit(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A field added to a class's schema shows up in the JSON Schema, typed by its kind."""
        widened = attrs.evolve(IMAGE, fields=(*IMAGE.fields, Field("alt", "altText", Kind.INT)))
        monkeypatch.setattr(json_schema_module, "SCHEMAS", {**SCHEMAS, IMAGE.cls: widened})

        image = newsfeed.json_schema()["$defs"]["Image"]

        assert image["properties"]["altText"] == {"type": ["integer", "null"]}


class TestSamples:
    """The front matter of every sample file the project ships validates."""

    def test_there_are_samples(self) -> None:
        """The seeds, the real files and the example data are all found."""
        folders = {path.parent.name for path in SAMPLES}

        assert folders == {"fixtures", "real", "data"}

    @pytest.mark.parametrize("path", SAMPLES, ids=lambda path: f"{path.parent.name}/{path.name}")
    def test_sample_validates(self, path: Path) -> None:
        """No validation error for the file's front matter."""
        document = front_matter(path.read_text(encoding="utf-8"))

        assert errors_of(document) == []


class TestRefusals:
    """Front matter newsfeed refuses fails validation too."""

    def test_good_document_passes(self) -> None:
        """The baseline the refusals below change one thing of."""
        assert errors_of(GOOD) == []

    def test_missing_title(self) -> None:
        """A file without `title` fails."""
        document = {key: value for key, value in GOOD.items() if key != "title"}

        assert errors_of(document) == ["'title' is a required property"]

    def test_quality_as_text(self) -> None:
        """`quality: "high"` fails: quality is an integer."""
        assert errors_of({**GOOD, "quality": "high"}) == ["'high' is not of type 'integer', 'null'"]

    def test_neither_link(self) -> None:
        """A file with neither `webUrl` nor `originalUrl` fails; `originalUrl` alone passes."""
        without = {key: value for key, value in GOOD.items() if key != "webUrl"}

        assert len(errors_of(without)) == 1
        assert errors_of({**without, "originalUrl": "https://example.com/v"}) == []

    def test_nested_related_needs_its_timestamp(self) -> None:
        """A related item without `publishedDateTime` fails, inside the list."""
        related = {"title": "Other", "webUrl": "https://example.com/o"}

        assert errors_of({**GOOD, "related": [related]}) == [
            "'publishedDateTime' is a required property"
        ]

    def test_unknown_keys_are_allowed(self) -> None:
        """Keys the model does not know are kept by newsfeed, so the schema allows them."""
        assert errors_of({**GOOD, "sentiment": 0.4, "provider": {"name": "P", "x": 1}}) == []


class TestNull:
    """An optional key set to null is absent for `loads`, so it validates; a required one fails."""

    @pytest.mark.parametrize(
        "line",
        [
            "excerpt:",
            "provider: null",
            "topics: null",
            "quality: ~",
            "images: null",
            "webUrl: null\noriginalUrl: https://example.com/o",
            (
                "related:\n  - title: R\n    publishedDateTime: 2020-06-11T12:02:00Z\n"
                "    webUrl: https://example.com/r\n    excerpt: null\n    provider: null"
            ),
            "provider:\n  name: P\n  images: null",
        ],
    )
    def test_null_optional_key(self, line: str) -> None:
        """What loads accepts with a null key validates."""
        text = f"---\ntitle: T\npublishedDateTime: 2020-06-11T12:02:00Z\nwebUrl: https://e.com/a\n{line}\n---\n"
        text = text.replace("webUrl: https://e.com/a\nwebUrl: null", "webUrl: null")
        newsfeed.loads(text)

        assert errors_of(front_matter(text)) == []

    def test_null_required_key_fails(self) -> None:
        """A null title, or a null link with no other, fails as loads refuses them."""
        assert errors_of({**GOOD, "title": None}) == ["None is not of type 'string'"]
        without = {key: value for key, value in GOOD.items() if key != "webUrl"}
        assert len(errors_of({**without, "webUrl": None})) == 1


class TestTimestampPattern:
    """The timestamp pattern accepts what the reader accepts, for the shapes that matter."""

    @pytest.mark.parametrize(
        "text",
        [
            "2020-06-11",
            "2020-06-11T12:02:00Z",
            "2020-06-11T12:02:00.123456+02:00",
            "2020-06-11 12:02:00",
            "2020-06-11T12:02:00",
            "2020-06-11T12:02:00.1234567Z",
            "20200611",
            "2020-W24-4",
            "2020-06-11T12:02Z",
            "2020-06-11T12:02:00+02:00:30",
            "2020-06-11T12:02:00+0200",
            # YAML 1.1's looser forms, which loads takes unquoted.
            "2020-06-11 12:02:00 +05:30",
            "2020-06-11t12:02:00Z",
            "2020-6-1T1:02:00+05",
            "2020-06-11T12:02:00.Z",
            "2020-06-11\t12:02:00Z",
            "2020-06-11  12:02:00",
            "2020-6-1",
            "2020-06-11T12:02:00+05:30:00",
            "2020-06-11T12:02:00.5+05:30:00",
            "2020-06-11T12:02:00+05:30:00.000000",
        ],
    )
    def test_agrees_with_reader(self, text: str) -> None:
        """The pattern matches a string exactly when `loads` takes it, quoted or not, as a time."""
        accepted = False
        for quote in ('"', ""):
            file_text = f"---\ntitle: x\npublishedDateTime: {quote}{text}{quote}\nwebUrl: u\n---\n"
            try:
                newsfeed.loads(file_text)
            except (newsfeed.ValidationError, newsfeed.ParseError):
                continue
            accepted = True

        assert (errors_of({**GOOD, "publishedDateTime": text}) == []) is accepted


class TestTimestampEnd:
    """A timestamp string ends where the text ends."""

    def test_final_line_feed_fails(self) -> None:
        """A timestamp and a line feed fail, as `loads` refuses them (Python's `$` would not)."""
        assert errors_of({**GOOD, "publishedDateTime": "2020-06-11T12:02:00Z\n"}) != []
        assert errors_of({**GOOD, "publishedDateTime": "2020-06-11\n"}) != []


class TestCommand:
    """`newsfeed schema` prints the schema as indented JSON."""

    def test_prints_the_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Exit 0; stdout is `json_schema()` indented by two spaces, and nothing else."""
        assert main(["schema"]) == 0

        out, err = capsys.readouterr()
        assert out == json.dumps(newsfeed.json_schema(), indent=2) + "\n"
        assert err == ""

    def test_help_has_examples(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`--help` shows examples, like the other commands."""
        assert main(["schema", "--help"]) == 0

        assert "examples:\n  newsfeed schema" in capsys.readouterr().out
