"""The saved plan and the report, as the real binary writes them, checked against
schemas/plan.schema.json and schemas/report.schema.json by an independent validator (Python's
jsonschema, with format checking: the report's times are RFC 3339 date-times).

The binary runs against its built-in endpoint (`--local`, state in a temporary directory) with
manifests that produce every kind of plan entry the endpoint can: a create with a declared key,
tags and a policy to change, an unchanged domain, a drifted one, an unmanaged one, one over the
domain quota, keys present; and reports with created, updated, unchanged, drifted and skipped
domains. A document the schema must refuse is refused.
"""

import copy
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from conftest import ROOT, binary

PLAN_SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text())
REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text())

BEFORE = """\
version: 1
defaults: { region: us-east-1, tags: { managed-by: provision } }
accounts:
  platform: { id: "111122223333", role_arn: "arn:aws:iam::111122223333:role/Provisioner" }
keys:
  - { alias: alias/codeartifact, account: platform, regions: [us-east-1, eu-west-1], description: CodeArtifact domains }
domains:
  - { name: acme-prod, account: platform, tags: { env: prod } }
  - { name: acme-dev, account: platform }
  - { name: acme-old, account: platform }
  - { name: acme-eu, account: platform, region: eu-west-1, encryption_key: alias/codeartifact }
  - { name: tools }
"""

# acme-prod: a tag and a policy to change; acme-dev: wants the declared key (drift); acme-old:
# no longer named (unmanaged); acme-new: to create with the declared key; the rest unchanged.
AFTER = """\
version: 1
defaults: { region: us-east-1, tags: { managed-by: provision } }
accounts:
  platform: { id: "111122223333", role_arn: "arn:aws:iam::111122223333:role/Provisioner" }
keys:
  - { alias: alias/codeartifact, account: platform, regions: [us-east-1, eu-west-1], description: CodeArtifact domains }
domains:
  - name: acme-prod
    account: platform
    tags: { env: production }
    policy:
      document:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: "arn:aws:iam::111122223333:root" }
            Action: codeartifact:ReadFromRepository
            Resource: "*"
  - { name: acme-dev, account: platform, encryption_key: alias/codeartifact }
  - { name: acme-eu, account: platform, region: eu-west-1, encryption_key: alias/codeartifact }
  - { name: acme-new, account: platform, encryption_key: alias/codeartifact }
  - { name: tools }
"""


def validator(schema):
    cls = validator_for(schema)
    cls.check_schema(schema, format_checker=FormatChecker())
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(schema, doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(schema).iter_errors(doc)]


def provision(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(
        [binary(), *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def runner(cwd: Path):
    """`run(*args, code=N)`: provision in `cwd`, which must exit N."""

    def run(*args, code):
        proc = provision(cwd, *args)
        assert proc.returncode == code, f"provision {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"

    return run


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Plans and reports written by the binary: {name: document}."""
    cwd = tmp_path_factory.mktemp("formats")
    (cwd / "before.yaml").write_text(BEFORE)
    (cwd / "after.yaml").write_text(AFTER)

    run = runner(cwd)

    run("apply", "before.yaml", "--local", "--auto-approve", "--report", "created.json", code=0)
    run("plan", "after.yaml", "--local", "--out", "plan.json", code=0)
    # The same plan with a quota of 3 domains per account and Region: acme-new would exceed it.
    run("plan", "after.yaml", "--local", "--domain-quota", "3", "--out", "over-quota.json", code=1)
    run("apply", "over-quota.json", "--local", "--auto-approve", "--report", "skipped.json", code=1)
    run("apply", "plan.json", "--local", "--auto-approve", "--report", "report.json", code=1)
    names = ["created.json", "plan.json", "over-quota.json", "skipped.json", "report.json"]
    return {name: json.loads((cwd / name).read_text()) for name in names}


def test_the_schemas_are_valid_and_name_their_format():
    for schema in (PLAN_SCHEMA, REPORT_SCHEMA):
        validator(schema)
    assert PLAN_SCHEMA["properties"]["format"]["const"] == "provision-plan/4"
    assert REPORT_SCHEMA["properties"]["format"]["const"] == "provision-report/1"


def test_the_runs_produced_every_kind_of_entry(written):
    kinds = set()
    for name in ("plan.json", "over-quota.json"):
        for entry in written[name]["entries"]:
            if "finding" in entry:
                kinds.add(entry["finding"]["finding"])
            kinds.update(step["step"] for step in entry.get("steps", []))
            if not entry.get("steps") and "finding" not in entry:
                kinds.add("unchanged")
    assert kinds == {"create", "set_tags", "put_policy", "drift", "unmanaged", "over_quota", "unchanged"}
    assert all("arn" in k for k in written["plan.json"]["keys"]), written["plan.json"]["keys"]
    outcomes = {d["outcome"] for name in ("created.json", "skipped.json", "report.json") for d in written[name]["domains"]}
    assert outcomes == {"created", "unchanged", "tags_updated", "drifted", "skipped"}


@pytest.mark.parametrize("name", ["plan.json", "over-quota.json"])
def test_saved_plans_validate(written, name):
    assert errors(PLAN_SCHEMA, written[name]) == []


@pytest.mark.parametrize("name", ["created.json", "skipped.json", "report.json"])
def test_reports_validate(written, name):
    report = written[name]
    assert errors(REPORT_SCHEMA, report) == []
    assert report["format"] == "provision-report/1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", report["started"]), report["started"]
    assert report["started"] <= report["finished"]
    assert report["manifest"].endswith(".yaml")
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", report["manifest_digest"])
    assert report["targets"] and all("account" in t and "region" in t for t in report["targets"])


def test_a_report_records_the_digest_of_the_plan_it_applied(written):
    assert written["report.json"]["manifest_digest"] == written["plan.json"]["manifest_digest"]


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.update(format="provision-plan/2"),
        lambda p: p.update(extra=1),
        lambda p: p.pop("entries"),
        lambda p: p.update(manifest_digest="sha256:0"),
        lambda p: p["entries"][0]["address"].pop("name"),
        lambda p: p["entries"][0].update(steps=[{"step": "teleport"}]),
        lambda p: p["targets"][0]["credentials"].update(kind="magic"),
    ],
    ids=["other-version", "unknown-field", "no-entries", "bad-digest", "no-name", "unknown-step", "unknown-credentials"],
)
def test_a_broken_plan_fails(written, change):
    plan = copy.deepcopy(written["plan.json"])
    change(plan)
    assert errors(PLAN_SCHEMA, plan), plan


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.update(format="provision-report/2"),
        lambda r: r.pop("summary"),
        lambda r: r.update(started="yesterday"),
        lambda r: r["domains"][0].update(outcome="exploded"),
        lambda r: r["domains"][0].update(attempts=-1),
        lambda r: r["domains"][0].update(error={"kind": "gremlins", "message": "?"}),
        lambda r: r["summary"].pop("created"),
    ],
    ids=["other-version", "no-summary", "bad-time", "unknown-outcome", "negative-attempts", "unknown-cause", "summary-without-created"],
)
def test_a_broken_report_fails(written, change):
    report = copy.deepcopy(written["skipped.json"])
    change(report)
    assert errors(REPORT_SCHEMA, report), report


def test_a_report_may_carry_fields_a_later_minor_change_adds(written):
    """Within a major version fields are only added: a consumer of provision-report/1 must
    accept (and ignore) a field it does not know."""
    report = copy.deepcopy(written["report.json"])
    report["added_later"] = {"anything": True}
    assert errors(REPORT_SCHEMA, report) == []


# Prune, an unusable key and a filter: the entries and outcomes the first manifests cannot make.
OWNED_BEFORE = """\
version: 1
ownership: { provision/manifest: formats }
defaults: { region: us-east-1 }
domains:
  - { name: kept-one }
  - { name: retired-one }
"""

OWNED_AFTER = """\
version: 1
ownership: { provision/manifest: formats }
defaults: { region: us-east-1 }
domains:
  - { name: kept-one }
  - { name: keyless, encryption_key: alias/missing }
"""


@pytest.fixture(scope="module")
def pruned(tmp_path_factory):
    """{name: document} of a plan that deletes and holds a domain back, its report, a filtered plan."""
    cwd = tmp_path_factory.mktemp("pruned")
    (cwd / "before.yaml").write_text(OWNED_BEFORE)
    (cwd / "after.yaml").write_text(OWNED_AFTER)

    run = runner(cwd)

    run("apply", "before.yaml", "--local", "--auto-approve", code=0)
    # keyless names a key that does not exist: held back (exit 1), the rest planned.
    run("plan", "after.yaml", "--local", "--out", "prune.json", code=1)
    run("apply", "prune.json", "--local", "--auto-approve", "--prune", "--report", "pruned.json", code=1)
    run("plan", "after.yaml", "--local", "--domain", "kept-*", "--out", "filtered.json", code=0)
    names = ["prune.json", "pruned.json", "filtered.json"]
    return {name: json.loads((cwd / name).read_text()) for name in names}


def test_prune_unusable_keys_and_filters_validate(pruned):
    for name in ("prune.json", "filtered.json"):
        assert errors(PLAN_SCHEMA, pruned[name]) == [], name
    assert errors(REPORT_SCHEMA, pruned["pruned.json"]) == []
    steps = {s["step"] for e in pruned["prune.json"]["entries"] for s in e.get("steps", [])}
    findings = {e["finding"]["finding"] for e in pruned["prune.json"]["entries"] if "finding" in e}
    assert "delete" in steps and "unusable_key" in findings, pruned["prune.json"]
    outcomes = {d["outcome"] for d in pruned["pruned.json"]["domains"]}
    assert outcomes == {"unchanged", "deleted", "skipped"}, outcomes
    filtered = pruned["filtered.json"]
    assert filtered["filter"]["domains"] == ["kept-*"] and filtered["left_out"] == 1, filtered
