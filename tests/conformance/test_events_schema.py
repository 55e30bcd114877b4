"""schemas/events.schema.json checked against real output of the binary by an independent
validator (Python's jsonschema): `provision apply --local --events` and `provision plan
--events` write lines that a CI system tailing them can rely on.
"""

import json
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from jsonschema.validators import validator_for

from conftest import binary

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "events.schema.json").read_text())

MANIFEST = """version: 1
defaults:
  region: us-east-1
  tags: { managed-by: provision }
domains:
  - { name: events-a }
  - { name: events-b, tags: { env: prod } }
"""


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    return subprocess.run(
        [binary(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def lines(path: Path) -> list[dict]:
    text = path.read_text()
    assert text.endswith("\n"), "every line is complete"
    return [json.loads(line) for line in text.splitlines()]


def check(events: list[dict]) -> None:
    cls = validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    validator = cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)
    for event in events:
        errors = [e.message for e in validator.iter_errors(event)]
        assert not errors, f"{event}: {errors}"
        # RFC 3339 in UTC, whatever the validator's format support.
        time = datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
        assert time.tzinfo == timezone.utc
    assert events[0]["event"] == "start"


def test_apply_and_plan_events_validate(tmp_path: Path):
    (tmp_path / "m.yaml").write_text(MANIFEST)
    applied = run(tmp_path, "apply", "m.yaml", "--local", "--auto-approve", "--events", "apply.jsonl")
    assert applied.returncode == 0, applied.stderr
    events = lines(tmp_path / "apply.jsonl")
    check(events)
    kinds = {e["event"] for e in events}
    assert kinds == {"start", "call", "domain"}, kinds
    domains = {e["name"]: e["outcome"] for e in events if e["event"] == "domain"}
    assert domains == {"events-a": "created", "events-b": "created"}
    creates = [e for e in events if e["event"] == "call" and e["operation"] == "CreateDomain"]
    assert len(creates) == 2 and all(e["status"] == 200 and e["request_id"] for e in creates)

    planned = run(tmp_path, "plan", "m.yaml", "--local", "--events", "plan.jsonl")
    assert planned.returncode == 0, planned.stderr
    events = lines(tmp_path / "plan.jsonl")
    check(events)
    assert {e["event"] for e in events} == {"start", "call"}
