"""AWS Organizations as boto3 and the aws CLI see it: an emulator started with
`--organization examples/organization.yaml`, discovered with botocore's paginators.

Organizations answers only its management account (and DescribeOrganization to every member);
an emulator without an organisation file says no account is in one.
"""

import json
import subprocess
import urllib.request

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ROOT, AwsCli, binary

EXAMPLE = ROOT / "examples" / "organization.yaml"
MANAGEMENT = "111111111111"
SUSPENDED = "777777777777"


@pytest.fixture
def org_emulator(start_emulator):
    return start_emulator("--organization", str(EXAMPLE))


def org_client(emu, key=MANAGEMENT, **kw):
    return emu.client("organizations", key=key, **kw)


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def walk(org, parent_id, path=()):
    """(OU path, account) of every account below `parent_id`, with botocore's paginators."""
    accounts = org.get_paginator("list_accounts_for_parent")
    found = [(path, a) for page in accounts.paginate(ParentId=parent_id) for a in page["Accounts"]]
    ous = org.get_paginator("list_organizational_units_for_parent")
    for page in ous.paginate(ParentId=parent_id):
        for ou in page["OrganizationalUnits"]:
            found += walk(org, ou["Id"], path + (ou["Name"],))
    return found


def test_boto3_discovers_the_example_organisation(org_emulator):
    org = org_client(org_emulator)
    described = org.describe_organization()["Organization"]
    assert described["Id"].startswith("o-")
    assert described["MasterAccountId"] == MANAGEMENT
    assert described["MasterAccountEmail"] == "aws-management@example.com"

    roots = org.list_roots()["Roots"]
    assert len(roots) == 1 and roots[0]["Id"].startswith("r-")
    found = walk(org, roots[0]["Id"])
    by_id = {a["Id"]: (path, a) for path, a in found}
    assert len(by_id) == len(found) == 7
    assert by_id["333333333333"][0] == ("Workloads", "Production")
    assert by_id["777777777777"][0] == ("Sandbox",)
    assert by_id[MANAGEMENT][0] == ()
    play = by_id[SUSPENDED][1]
    assert play["State"] == "SUSPENDED" and play["Status"] == "SUSPENDED"
    assert play["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:account/{described['Id']}/{SUSPENDED}"
    assert play["JoinedTimestamp"].year == 2020  # botocore parsed the timestamp

    # The same accounts through ListAccounts, in pages of 2.
    pages = list(org.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 4
    assert sorted(a["Id"] for p in pages for a in p["Accounts"]) == sorted(by_id)

    tags = org.list_tags_for_resource(ResourceId="333333333333")["Tags"]
    assert tags == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "payments"}]
    account = org.describe_account(AccountId="555555555555")["Account"]
    assert account["Name"] == "payments-dev" and account["State"] == "ACTIVE"


def test_boto3_ids_are_stable_across_restarts(start_emulator):
    def ids(emu):
        org = org_client(emu)
        root = org.list_roots()["Roots"][0]["Id"]
        ous = org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]
        return root, sorted(ou["Id"] for ou in ous)

    first = ids(start_emulator("--organization", str(EXAMPLE)))
    assert ids(start_emulator("--organization", str(EXAMPLE))) == first


def test_boto3_errors(org_emulator, start_emulator):
    member = org_client(org_emulator, key="333333333333")
    with pytest.raises(ClientError) as e:
        member.list_accounts()
    assert error_code(e) == "AccessDeniedException"
    assert e.value.response["Error"]["Message"] == "You don't have permissions to access this resource."
    assert member.describe_organization()["Organization"]["MasterAccountId"] == MANAGEMENT

    org = org_client(org_emulator)
    with pytest.raises(ClientError) as e:
        org.list_accounts_for_parent(ParentId="ou-zzzz-zzzzzzzz")
    assert error_code(e) == "ParentNotFoundException"
    with pytest.raises(ClientError) as e:
        org.describe_account(AccountId="123456789012")
    assert error_code(e) == "AccountNotFoundException"
    with pytest.raises(ClientError) as e:
        org.list_accounts(NextToken="not-a-token")
    assert error_code(e) == "InvalidInputException"
    assert e.value.response["Reason"] == "INVALID_NEXT_TOKEN"

    bare = start_emulator()
    with pytest.raises(ClientError) as e:
        org_client(bare).describe_organization()
    assert error_code(e) == "AWSOrganizationsNotInUseException"


def test_boto3_throttling_is_too_many_requests(org_emulator):
    org_emulator.admin("PUT", "faults", {"throttle_rate": 1.0, "seed": 1})
    with pytest.raises(ClientError) as e:
        org_client(org_emulator).list_roots()
    assert error_code(e) == "TooManyRequestsException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    # botocore's standard retries know the code as throttling and get through half the faults.
    org_emulator.admin("PUT", "faults", {"throttle_rate": 0.5, "retry_after": 0, "seed": 1})
    retrying = org_client(org_emulator, config=Config(retries={"total_max_attempts": 10, "mode": "standard"}))
    for _ in range(3):
        assert retrying.list_roots()["Roots"]


def test_reload_adds_an_account_to_an_ou(org_emulator):
    org = org_client(org_emulator)
    before = {a["Id"] for p in org.get_paginator("list_accounts").paginate() for a in p["Accounts"]}
    grown = EXAMPLE.read_text().replace(
        '      - { id: "777777777777"',
        '      - { id: "888888888888", name: newcomer }\n      - { id: "777777777777"',
    )
    req = urllib.request.Request(
        f"{org_emulator.url}/_emulator/organization", data=grown.encode(), method="POST"
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200
    after = {a["Id"] for p in org.get_paginator("list_accounts").paginate() for a in p["Accounts"]}
    assert after == before | {"888888888888"}


def test_an_invalid_organisation_file_exits_before_serving(tmp_path):
    bad = tmp_path / "org.yaml"
    bad.write_text('management_account: "111111111111"\nacounts: []\n')
    proc = subprocess.run(
        [binary(), "emulator", "--listen", "127.0.0.1:0", "--organization", str(bad)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    # Not serving, and saying why. (The exit code is the main crate's mapping of StartError.)
    assert proc.returncode != 0 and proc.stdout == ""
    assert "invalid organization file" in proc.stderr and "acounts" in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- per-account roles

ROLES_ORG = """\
management_account: "111111111111"
accounts:
  - { id: "111111111111", name: management }
  - { id: "222222222222", name: locked, roles: [OrganizationAccountAccessRole] }
  - { id: "333333333333", name: closed, roles: [] }
  - { id: "444444444444", name: open }
"""
LOCKED, CLOSED, OPEN, OUTSIDE = "222222222222", "333333333333", "444444444444", "999999999999"


def role_arn(account, name, path="/"):
    return f"arn:aws:iam::{account}:role{path}{name}"


@pytest.fixture
def roles_emulator(start_emulator, tmp_path):
    org = tmp_path / "roles.yaml"
    org.write_text(ROLES_ORG)
    return start_emulator("--organization", str(org))


def test_boto3_assume_role_follows_the_accounts_roles(roles_emulator):
    sts = roles_emulator.client("sts", key=MANAGEMENT)

    def assume(account, name, path="/"):
        return sts.assume_role(RoleArn=role_arn(account, name, path), RoleSessionName="conformance")

    # A listed role: assumed, and its credentials act as the account.
    assumed = assume(LOCKED, "OrganizationAccountAccessRole")
    creds = assumed["Credentials"]
    assert assumed["AssumedRoleUser"]["Arn"] == (
        f"arn:aws:sts::{LOCKED}:assumed-role/OrganizationAccountAccessRole/conformance"
    )
    who = roles_emulator.client(
        "sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"]
    ).get_caller_identity()
    assert who["Account"] == LOCKED and who["Arn"] == assumed["AssumedRoleUser"]["Arn"]
    # The role's name is the ARN's last segment: a path does not hide it.
    assume(LOCKED, "OrganizationAccountAccessRole", path="/org/")

    # A role not listed, and any role of `roles: []`: STS's AccessDenied, 403, naming the role.
    for account, name in [(LOCKED, "deployer"), (CLOSED, "OrganizationAccountAccessRole"), (CLOSED, "deployer")]:
        with pytest.raises(ClientError) as e:
            assume(account, name)
        assert error_code(e) == "AccessDenied", (account, name)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        message = e.value.response["Error"]["Message"]
        assert "sts:AssumeRole" in message and role_arn(account, name) in message, message

    # Without `roles`, and outside the organisation, any role.
    for account in (OPEN, OUTSIDE, MANAGEMENT):
        for name in ("OrganizationAccountAccessRole", "deployer"):
            got = assume(account, name)["AssumedRoleUser"]["Arn"]
            assert got == f"arn:aws:sts::{account}:assumed-role/{name}/conformance"


def test_boto3_assume_role_follows_a_reloaded_organisation(roles_emulator):
    sts = roles_emulator.client("sts", key=MANAGEMENT)
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=role_arn(LOCKED, "deployer"), RoleSessionName="before")
    assert error_code(e) == "AccessDenied"
    # The same organisation with `deployer` listed too; then none at all: any role.
    grown = ROLES_ORG.replace("[OrganizationAccountAccessRole]", "[OrganizationAccountAccessRole, deployer]")
    req = urllib.request.Request(
        f"{roles_emulator.url}/_emulator/organization", data=grown.encode(), method="POST"
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200
    assert sts.assume_role(RoleArn=role_arn(LOCKED, "deployer"), RoleSessionName="after")["Credentials"]
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=role_arn(CLOSED, "deployer"), RoleSessionName="after")
    assert error_code(e) == "AccessDenied"
    roles_emulator.admin("DELETE", "organization")
    assert sts.assume_role(RoleArn=role_arn(CLOSED, "deployer"), RoleSessionName="gone")["Credentials"]


def test_cli_assume_role_follows_the_accounts_roles(roles_emulator):
    aws = AwsCli(roles_emulator.url)
    k = dict(key=MANAGEMENT)
    fail = dict(k, check=False)

    def assume(account, name):
        return ("sts", "assume-role", "--role-arn", role_arn(account, name), "--role-session-name", "cli")

    allowed, other, closed, open_, outside = aws.many(
        (assume(LOCKED, "OrganizationAccountAccessRole"), k),
        (assume(LOCKED, "deployer"), fail),
        (assume(CLOSED, "OrganizationAccountAccessRole"), fail),
        (assume(OPEN, "deployer"), k),
        (assume(OUTSIDE, "deployer"), k),
    )
    creds = json.loads(allowed.stdout)["Credentials"]
    for refused in (other, closed):
        assert refused.returncode != 0, refused.stdout
        assert "AccessDenied" in refused.stderr and "AssumeRole" in refused.stderr, refused.stderr
    assert json.loads(open_.stdout)["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{OPEN}:assumed-role/deployer/cli"
    assert json.loads(outside.stdout)["AssumedRoleUser"]["Arn"].startswith(f"arn:aws:sts::{OUTSIDE}:")
    role = dict(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    assert aws.json("sts", "get-caller-identity", **role)["Account"] == LOCKED


def test_cli_organizations(start_emulator):
    emu = start_emulator("--organization", str(EXAMPLE))
    aws = AwsCli(emu.url)
    roots = aws.json("organizations", "list-roots", key=MANAGEMENT)["Roots"]
    assert len(roots) == 1 and roots[0]["Name"] == "Root"
    # The CLI follows NextToken itself: all 7 accounts, though a page holds 2.
    accounts = aws.json("organizations", "list-accounts", "--page-size", "2", key=MANAGEMENT)["Accounts"]
    assert len(accounts) == 7
    denied = aws.run("organizations", "list-roots", key="222222222222", check=False)
    assert denied.returncode != 0 and "AccessDeniedException" in denied.stderr
