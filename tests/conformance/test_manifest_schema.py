"""schemas/manifest.schema.json checked by an independent validator (Python's jsonschema).

Editors and CI tools validate manifests with whatever JSON Schema library they have, so the
schema must be valid for them too, not only for the Rust code that generates it: every
`pattern` must compile both in Python's `re` (what jsonschema uses) and as an ECMA-262 regex
(what the JSON Schema spec recommends, and what editors use). The examples must pass it and
the mistakes it can express must fail it. Needs no emulator binary.
"""

import copy
import json
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
import regress
import yaml
from jsonschema import FormatChecker
from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text())
# Every example is a manifest except the emulator's organisation file (test_organizations.py).
EXAMPLES = [
    p
    for p in sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.toml"))
    if p.name != "organization.yaml"
]

# Constructs that some common engines lack or read differently: Unicode property classes
# (Python's `re`, RE2) and lookaround (RE2, Rust's regex).
NOT_PORTABLE = re.compile(r"\\[pP]\{|\(\?<?[=!]")

MINIMAL = {
    "version": 1,
    "defaults": {"region": "us-east-1", "tags": {"team": "platform"}},
    "domains": [{"name": "acme-prod", "tags": {"env": "prod"}}],
}


def validator():
    cls = validator_for(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


def patterns(node):
    """Every regex in the schema: `pattern` values and `patternProperties` keys."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            yield from patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from patterns(item)


def with_tags(tags, where="domain"):
    doc = copy.deepcopy(MINIMAL)
    target = doc["domains"][0] if where == "domain" else doc["defaults"]
    target["tags"] = tags
    return doc


def errors(doc):
    return [e.message for e in validator().iter_errors(doc)]


def test_schema_declares_a_draft_jsonschema_knows():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert validator_for(SCHEMA, default=None) is not None


def test_schema_is_valid_with_regex_format_checking():
    cls = validator_for(SCHEMA)
    assert "regex" in cls.FORMAT_CHECKER.checkers
    # The metaschema gives `pattern` the format "regex": with a format checker, every
    # pattern is compiled with Python's `re`, which rejects e.g. `\P{C}`.
    cls.check_schema(SCHEMA, format_checker=FormatChecker())


def test_the_check_catches_a_pattern_python_rejects():
    broken = copy.deepcopy(SCHEMA)
    broken["$defs"]["RawDomain"]["properties"]["name"]["pattern"] = r"^\P{C}+$"
    with pytest.raises(SchemaError, match="is not a 'regex'"):
        validator_for(broken).check_schema(broken, format_checker=FormatChecker())


def test_every_pattern_is_portable_ecma_262():
    found = list(patterns(SCHEMA))
    assert len(found) >= 5, found
    for pattern in found:
        regress.Regex(pattern, "u")  # raises if not ECMA-262 (Unicode mode)
        regress.Regex(pattern)  # ... nor without the `u` flag
        assert not NOT_PORTABLE.search(pattern), pattern


def test_control_character_class_is_exactly_unicode_cc():
    """The schema's control-character class is `\\p{Cc}`, which is what Rust's
    `char::is_control` (the semantic validator's first test) checks."""
    tag_value = SCHEMA["$defs"]["RawDomain"]["properties"]["tags"]["additionalProperties"]
    control = re.compile(tag_value["not"]["pattern"])
    ecma = regress.Regex(tag_value["not"]["pattern"], "u")
    for cp in range(0x110000):
        c = chr(cp)
        is_cc = unicodedata.category(c) == "Cc"
        assert bool(control.search(c)) == is_cc, hex(cp)
        if cp < 0x3000:  # regress is slower; the controls are all below U+00A0
            assert (ecma.find(c) is not None) == is_cc, hex(cp)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid(path):
    text = path.read_text()
    doc = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    assert errors(doc) == []


def test_examples_cover_both_formats():
    assert {p.suffix for p in EXAMPLES} == {".yaml", ".toml"}


@pytest.mark.parametrize(
    "tags",
    [
        {"team": "platform"},
        {"aws-team": "x", "naws:": "x", "aws": "x", "x:aws:": "x"},
        {"empty": "", "unicode": "équipe — 東京", "punctuation": "a b+c=d.e_f:g/h@i"},
        {"k" * 128: "v" * 256},
    ],
    ids=["plain", "aws-lookalikes", "unicode", "longest"],
)
@pytest.mark.parametrize("where", ["domain", "defaults"])
def test_valid_tags(tags, where):
    assert errors(with_tags(tags, where)) == []


@pytest.mark.parametrize(
    "tags",
    [
        {"aws:cost-center": "x"},
        {"AWS:team": "x"},
        {"aWs:": "x"},
        {"": "x"},
        {"k" * 129: "x"},
        {"a\x01b": "x"},
        {"team\n": "x"},
        {"team": "a\x01b"},
        {"team": "a\tb"},
        {"team": "prod\n"},  # a trailing newline: `$` would have let it through in Python
        {"team": "\x7f"},
        {"team": "next\x85line"},  # C1 control
        {"team": "v" * 257},
        {"team": 1},
        {f"k{i}": "v" for i in range(51)},
    ],
    ids=[
        "aws-prefix",
        "AWS-prefix",
        "mixed-case-prefix",
        "empty-key",
        "long-key",
        "key-control",
        "key-trailing-newline",
        "value-control",
        "value-tab",
        "value-trailing-newline",
        "value-delete",
        "value-c1",
        "long-value",
        "value-not-string",
        "too-many",
    ],
)
@pytest.mark.parametrize("where", ["domain", "defaults"])
def test_invalid_tags(tags, where):
    found = errors(with_tags(tags, where))
    assert len(found) == 1, found


def test_a_non_string_tag_value_is_one_type_error():
    assert errors(with_tags({"team": 1})) == ["1 is not of type 'string'"]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["domains"][0].update(regoin="us-east-1"),
        lambda d: d.update(domain=[]),
        lambda d: d["defaults"].update(tag_mode="merge"),
        lambda d: d["domains"][0].update(name="Acme_Prod"),
        lambda d: d["domains"][0].update(name="acme-"),
        lambda d: d["domains"][0].update(name="a"),
        lambda d: d["domains"][0].update(name="1acme"),
        lambda d: d["domains"][0].update(name="Acme-${region}"),
        lambda d: d["domains"][0].update(name="acme-${region"),
        lambda d: d["domains"][0].update(name=7),
        lambda d: d.update(version=2),
        lambda d: d.update(accounts={"platform": {"id": 111122223333}}),
        lambda d: d.update(accounts={"platform": {"id": "11112222333"}}),
        lambda d: d["domains"][0].update(tags_mode="replace"),
    ],
    ids=[
        "unknown-domain-field",
        "unknown-top-level-field",
        "unknown-defaults-field",
        "domain-name-characters",
        "domain-name-trailing-dash",
        "domain-name-too-short",
        "domain-name-starts-with-digit",
        "template-name-characters",
        "template-name-unclosed",
        "domain-name-not-string",
        "version",
        "account-id-not-string",
        "account-id-11-digits",
        "tags-mode",
    ],
)
def test_invalid_documents(change):
    doc = copy.deepcopy(MINIMAL)
    assert errors(doc) == []
    change(doc)
    assert errors(doc), doc


@pytest.mark.parametrize("name", ["${account.name}", "pkgs-${account.id}-${region}", "${region}x"])
def test_template_names_are_valid(name):
    doc = copy.deepcopy(MINIMAL)
    doc["domains"][0].update(name=name, accounts={"ou": "Root/Workloads"}, regions=["us-east-1"])
    del doc["defaults"]["region"]
    assert errors(doc) == [], name
