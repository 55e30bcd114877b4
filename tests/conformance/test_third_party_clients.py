"""The emulator as third-party clients see it: boto3 (botocore's parsers) and the aws CLI v1.

Each test acts as its own account on the shared emulator (an access key id of 12 digits is that
account), so that domain quotas and listings do not leak between tests; tests that need other
flags start their own emulator.
"""

import json
import uuid

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ACCOUNT, REGION

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "codeartifact:GetAuthorizationToken",
                "Resource": "*",
            }
        ],
    }
)


def error_of(excinfo):
    """(HTTP status, error code, the whole parsed response) of a botocore ClientError."""
    resp = excinfo.value.response
    return resp["ResponseMetadata"]["HTTPStatusCode"], resp["Error"]["Code"], resp


def request_id(resp) -> str:
    meta = resp["ResponseMetadata"]
    assert meta["HTTPHeaders"].get("x-amzn-requestid"), meta
    assert meta["RequestId"] == meta["HTTPHeaders"]["x-amzn-requestid"], meta
    return meta["RequestId"]


# --------------------------------------------------------------------------- boto3: CodeArtifact


def test_boto3_domain_lifecycle(emulator):
    ca = emulator.client("codeartifact")
    created = ca.create_domain(domain="lifecycle", tags=[{"key": "team", "value": "infra"}])
    d = created["domain"]
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    request_id(created)
    assert d["name"] == "lifecycle"
    assert d["owner"] == ACCOUNT
    assert d["arn"] == f"arn:aws:codeartifact:{REGION}:{ACCOUNT}:domain/lifecycle"
    assert d["status"] == "Active"
    assert d["encryptionKey"].startswith(f"arn:aws:kms:{REGION}:{ACCOUNT}:key/")
    assert d["repositoryCount"] == 0
    assert d["createdTime"].year >= 2024  # botocore parsed the timestamp

    described = ca.describe_domain(domain="lifecycle", domainOwner=ACCOUNT)["domain"]
    assert described["arn"] == d["arn"]
    assert described["encryptionKey"] == d["encryptionKey"]
    assert described["createdTime"] == d["createdTime"]

    names = [s["name"] for s in ca.list_domains()["domains"]]
    assert "lifecycle" in names

    deleted = ca.delete_domain(domain="lifecycle")["domain"]
    assert deleted["status"] == "Deleted"
    with pytest.raises(ClientError) as e:
        ca.describe_domain(domain="lifecycle")
    status, code, resp = error_of(e)
    assert (status, code) == (404, "ResourceNotFoundException")
    assert resp["resourceId"] == "lifecycle" and resp["resourceType"] == "domain"
    request_id(resp)


def test_boto3_tags(emulator):
    ca = emulator.client("codeartifact", key="111122220001")
    arn = ca.create_domain(domain="tagged", tags=[{"key": "a", "value": "1"}])["domain"]["arn"]
    ca.tag_resource(resourceArn=arn, tags=[{"key": "b", "value": "2"}, {"key": "a", "value": "9"}])
    tags = {t["key"]: t["value"] for t in ca.list_tags_for_resource(resourceArn=arn)["tags"]}
    assert tags == {"a": "9", "b": "2"}
    ca.untag_resource(resourceArn=arn, tagKeys=["a", "missing"])
    assert ca.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "b", "value": "2"}]

    with pytest.raises(ClientError) as e:
        ca.tag_resource(resourceArn=arn, tags=[{"key": "aws:reserved", "value": "x"}])
    status, code, resp = error_of(e)
    assert (status, code, resp["reason"]) == (400, "ValidationException", "FIELD_VALIDATION_FAILED")

    gone = arn.replace("domain/tagged", "domain/nothere")
    with pytest.raises(ClientError) as e:
        ca.list_tags_for_resource(resourceArn=gone)
    assert error_of(e)[:2] == (404, "ResourceNotFoundException")


def test_boto3_domain_permissions_policy_revisions(emulator):
    ca = emulator.client("codeartifact", key="111122220002")
    ca.create_domain(domain="guarded")
    with pytest.raises(ClientError) as e:
        ca.get_domain_permissions_policy(domain="guarded")
    assert error_of(e)[:2] == (404, "ResourceNotFoundException")

    first = ca.put_domain_permissions_policy(domain="guarded", policyDocument=POLICY)["policy"]
    assert first["resourceArn"].endswith(":domain/guarded")
    got = ca.get_domain_permissions_policy(domain="guarded")["policy"]
    assert got["revision"] == first["revision"]
    assert json.loads(got["document"]) == json.loads(POLICY)

    second = ca.put_domain_permissions_policy(
        domain="guarded", policyDocument=POLICY, policyRevision=first["revision"]
    )["policy"]
    assert second["revision"] != first["revision"]

    # A stale revision is a conflict, for put and delete alike.
    with pytest.raises(ClientError) as e:
        ca.put_domain_permissions_policy(domain="guarded", policyDocument=POLICY, policyRevision=first["revision"])
    status, code, resp = error_of(e)
    assert (status, code) == (409, "ConflictException")
    assert (resp["resourceId"], resp["resourceType"]) == ("guarded", "domain")
    with pytest.raises(ClientError) as e:
        ca.delete_domain_permissions_policy(domain="guarded", policyRevision=first["revision"])
    assert error_of(e)[:2] == (409, "ConflictException")

    with pytest.raises(ClientError) as e:
        ca.put_domain_permissions_policy(domain="guarded", policyDocument="not json")
    status, code, resp = error_of(e)
    assert (status, code, resp["reason"]) == (400, "ValidationException", "FIELD_VALIDATION_FAILED")

    deleted = ca.delete_domain_permissions_policy(domain="guarded", policyRevision=second["revision"])["policy"]
    assert deleted["revision"] == second["revision"]
    with pytest.raises(ClientError) as e:
        ca.get_domain_permissions_policy(domain="guarded")
    assert error_of(e)[:2] == (404, "ResourceNotFoundException")


def test_boto3_errors_as_botocore_parses_them(emulator):
    ca = emulator.client("codeartifact", key="111122220003")
    ca.create_domain(domain="twice")
    with pytest.raises(ClientError) as e:
        ca.create_domain(domain="twice")
    status, code, resp = error_of(e)
    assert (status, code) == (409, "ConflictException")
    assert (resp["resourceId"], resp["resourceType"]) == ("twice", "domain")
    assert "twice" in resp["Error"]["Message"]
    request_id(resp)

    # botocore does not check patterns: the emulator must.
    with pytest.raises(ClientError) as e:
        ca.create_domain(domain="Not_A_Name")
    status, code, resp = error_of(e)
    assert (status, code, resp["reason"]) == (400, "ValidationException", "FIELD_VALIDATION_FAILED")

    # Out-of-range maxResults, with botocore's own check turned off so that it reaches the wire.
    unchecked = emulator.client(
        "codeartifact",
        key="111122220003",
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=False),
    )
    with pytest.raises(ClientError) as e:
        unchecked.list_domains(maxResults=0)
    status, code, resp = error_of(e)
    assert (status, code, resp["reason"]) == (400, "ValidationException", "FIELD_VALIDATION_FAILED")
    with pytest.raises(ClientError) as e:
        ca.list_domains(nextToken="garbage")
    assert error_of(e)[:2] == (400, "ValidationException")

    # A domain with repositories cannot be deleted.
    emulator.admin("PATCH", "domains/111122220003/us-east-1/twice", {"repositoryCount": 2})
    assert ca.describe_domain(domain="twice")["domain"]["repositoryCount"] == 2
    with pytest.raises(ClientError) as e:
        ca.delete_domain(domain="twice")
    status, code, resp = error_of(e)
    assert (status, code) == (409, "ConflictException")
    assert (resp["resourceId"], resp["resourceType"]) == ("twice", "domain")

    # Another account's domain is not the caller's to describe.
    with pytest.raises(ClientError) as e:
        ca.describe_domain(domain="twice", domainOwner="999988887777")
    assert error_of(e)[:2] == (403, "AccessDeniedException")


def test_boto3_wrong_secret_is_invalid_signature(emulator):
    ca = emulator.client("codeartifact", secret="not-the-secret")
    with pytest.raises(ClientError) as e:
        ca.list_domains()
    status, code, resp = error_of(e)
    assert (status, code) == (403, "InvalidSignatureException")
    assert "signature we calculated does not match" in resp["Error"]["Message"]
    request_id(resp)

    sts = emulator.client("sts", secret="not-the-secret")
    with pytest.raises(ClientError) as e:
        sts.get_caller_identity()
    assert error_of(e)[:2] == (403, "SignatureDoesNotMatch")


def test_boto3_domain_quota_is_402_at_the_eleventh(start_emulator):
    emu = start_emulator("--seed", "2")
    ca = emu.client("codeartifact")
    for i in range(10):
        ca.create_domain(domain=f"quota-{i:02d}")
    with pytest.raises(ClientError) as e:
        ca.create_domain(domain="quota-10")
    status, code, resp = error_of(e)
    assert (status, code) == (402, "ServiceQuotaExceededException")
    assert (resp["resourceId"], resp["resourceType"]) == ("quota-10", "domain")
    # Per account: another account still has room.
    emu.client("codeartifact", key="444455556666").create_domain(domain="quota-10")


def test_boto3_write_throttling_is_429_with_retry_after(start_emulator):
    emu = start_emulator("--write-tps", "2", "--domain-quota", "0", "--seed", "3")
    ca = emu.client("codeartifact")
    throttled = None
    for i in range(12):
        try:
            ca.create_domain(domain=f"burst-{i:02d}")
        except ClientError as err:
            throttled = err
            break
    assert throttled is not None, "12 writes in a burst were never throttled at --write-tps 2"
    resp = throttled.response
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert resp["Error"]["Code"] == "ThrottlingException"
    assert resp["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "1"
    assert resp.get("retryAfterSeconds") == 1, resp  # the model binds it to Retry-After
    request_id(resp)
    # No retries happened: the emulator counted exactly one throttled CreateDomain.
    stats = emu.admin("GET", "stats")["accounts"][ACCOUNT]["operations"]["CreateDomain"]
    assert stats.get("ThrottlingException") == 1, stats
    # Reads have their own quota.
    assert ca.list_domains()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_boto3_pagination(start_emulator):
    emu = start_emulator("--domain-quota", "0", "--seed", "4")
    ca = emu.client("codeartifact")
    names = [f"page-{i:02d}" for i in range(25)]
    for name in reversed(names):
        ca.create_domain(domain=name)

    first = ca.list_domains(maxResults=10)
    assert [d["name"] for d in first["domains"]] == names[:10]
    assert first["nextToken"]
    second = ca.list_domains(maxResults=10, nextToken=first["nextToken"])
    assert [d["name"] for d in second["domains"]] == names[10:20]

    pages = list(ca.get_paginator("list_domains").paginate(PaginationConfig={"PageSize": 10}))
    assert [len(p["domains"]) for p in pages] == [10, 10, 5]
    assert "nextToken" not in pages[-1]
    assert [d["name"] for p in pages for d in p["domains"]] == names

    capped = ca.get_paginator("list_domains").paginate(PaginationConfig={"PageSize": 7, "MaxItems": 12})
    result = capped.build_full_result()
    assert [d["name"] for d in result["domains"]] == names[:12]
    assert result["NextToken"]


# --------------------------------------------------------------------------- boto3: STS and KMS


def test_boto3_sts_identity_and_assume_role(emulator):
    sts = emulator.client("sts")
    me = sts.get_caller_identity()
    assert me["Account"] == ACCOUNT
    assert me["Arn"].startswith(f"arn:aws:iam::{ACCOUNT}:")
    assert me["ResponseMetadata"]["RequestId"]
    assert emulator.client("sts", key="AKIAEXAMPLEKEY").get_caller_identity()["Account"] == "000000000000"

    assumed = sts.assume_role(RoleArn="arn:aws:iam::555566667777:role/deployer", RoleSessionName="ci-run")
    creds = assumed["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert assumed["AssumedRoleUser"]["Arn"] == "arn:aws:sts::555566667777:assumed-role/deployer/ci-run"
    assert creds["Expiration"].year >= 2024

    def as_role(service):
        return emulator.client(
            service, key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"]
        )

    who = as_role("sts").get_caller_identity()
    assert who["Account"] == "555566667777"
    assert who["Arn"] == assumed["AssumedRoleUser"]["Arn"]
    domain = as_role("codeartifact").create_domain(domain="role-made")["domain"]
    assert domain["owner"] == "555566667777"
    assert domain["arn"] == f"arn:aws:codeartifact:{REGION}:555566667777:domain/role-made"

    # A session token the emulator never issued.
    forged = emulator.client(
        "sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token="forged-token"
    )
    with pytest.raises(ClientError) as e:
        forged.get_caller_identity()
    assert error_of(e)[:2] == (403, "InvalidClientTokenId")

    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn="arn:aws:iam::555566667777:user/not-a-role", RoleSessionName="ci-run")
    assert error_of(e)[:2] == (400, "ValidationError")


def test_boto3_kms_keys_aliases_and_domain_encryption(emulator):
    account = "111122220004"
    kms = emulator.client("kms", key=account)
    ca = emulator.client("codeartifact", key=account)

    key = kms.create_key(Description="domain key")["KeyMetadata"]
    assert key["KeySpec"] == "SYMMETRIC_DEFAULT" and key["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert key["Arn"] == f"arn:aws:kms:{REGION}:{account}:key/{key['KeyId']}"
    request_id(kms.create_alias(AliasName="alias/provision-test", TargetKeyId=key["KeyId"]))
    by_alias = kms.describe_key(KeyId="alias/provision-test")["KeyMetadata"]
    assert by_alias["KeyId"] == key["KeyId"]
    assert by_alias["Arn"] == key["Arn"]

    with pytest.raises(ClientError) as e:
        kms.describe_key(KeyId="alias/does-not-exist")
    status, code, resp = error_of(e)
    assert (status, code) == (400, "NotFoundException")
    with pytest.raises(ClientError) as e:
        kms.create_alias(AliasName="alias/provision-test", TargetKeyId=key["KeyId"])
    assert error_of(e)[:2] == (400, "AlreadyExistsException")

    # A domain encrypted with the customer key, named by its alias.
    domain = ca.create_domain(domain="encrypted", encryptionKey="alias/provision-test")["domain"]
    assert domain["encryptionKey"] == key["Arn"]

    asym = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    assert asym["KeySpec"] == "RSA_2048"
    with pytest.raises(ClientError) as e:
        ca.create_domain(domain="asymmetric", encryptionKey=asym["Arn"])
    status, code, resp = error_of(e)
    assert (status, code, resp["reason"]) == (400, "ValidationException", "ENCRYPTION_KEY_ERROR")
    with pytest.raises(ClientError) as e:
        ca.create_domain(domain="missing-key", encryptionKey=f"arn:aws:kms:{REGION}:{account}:key/{uuid.uuid4()}")
    status, code, resp = error_of(e)
    assert (status, code, resp["reason"]) == (400, "ValidationException", "ENCRYPTION_KEY_ERROR")


KEY_TAGS = [
    {"TagKey": "team", "TagValue": "platform"},
    {"TagKey": "env", "TagValue": ""},  # tag values may be empty
    {"TagKey": "cost-centre", "TagValue": "4711"},
    {"TagKey": "Owner", "TagValue": "infra@example.com"},
    {"TagKey": "tier", "TagValue": "gold"},
]


def test_boto3_kms_create_key_tags_and_list_resource_tags(emulator):
    account = "111122220006"
    kms = emulator.client("kms", key=account)
    key = kms.create_key(Description="tagged", Tags=KEY_TAGS)["KeyMetadata"]
    untagged = kms.create_key()["KeyMetadata"]

    listed = kms.list_resource_tags(KeyId=key["KeyId"])
    request_id(listed)
    assert listed["Tags"] == KEY_TAGS  # in the order given
    assert listed["Truncated"] is False and "NextMarker" not in listed
    assert kms.list_resource_tags(KeyId=key["Arn"])["Tags"] == KEY_TAGS
    empty = kms.list_resource_tags(KeyId=untagged["KeyId"])
    assert empty["Tags"] == [] and empty["Truncated"] is False

    # Pages of 2 by hand: Truncated and NextMarker until the last page.
    pages = [kms.list_resource_tags(KeyId=key["KeyId"], Limit=2)]
    while pages[-1]["Truncated"]:
        pages.append(kms.list_resource_tags(KeyId=key["KeyId"], Limit=2, Marker=pages[-1]["NextMarker"]))
    assert [len(p["Tags"]) for p in pages] == [2, 2, 1]
    assert all(p["NextMarker"] for p in pages[:-1]) and "NextMarker" not in pages[-1]
    assert [t for p in pages for t in p["Tags"]] == KEY_TAGS
    # botocore's paginator (Marker/NextMarker/Truncated, Limit as the page size).
    paginator = kms.get_paginator("list_resource_tags")
    paged = list(paginator.paginate(KeyId=key["KeyId"], PaginationConfig={"PageSize": 2}))
    assert len(paged) == 3 and [t for p in paged for t in p["Tags"]] == KEY_TAGS
    # The model's LimitType is 1..1000 (KMS documents 1..50 and returns at most 50).
    assert kms.list_resource_tags(KeyId=key["KeyId"], Limit=1000)["Tags"] == KEY_TAGS

    with pytest.raises(ClientError) as e:
        kms.list_resource_tags(KeyId=key["KeyId"], Limit=1001)
    assert error_of(e)[:2] == (400, "ValidationException")
    with pytest.raises(ClientError) as e:
        kms.list_resource_tags(KeyId=key["KeyId"], Marker="not-a-marker")
    assert error_of(e)[:2] == (400, "InvalidMarkerException")
    with pytest.raises(ClientError) as e:
        kms.list_resource_tags(KeyId=str(uuid.uuid4()))
    assert error_of(e)[:2] == (400, "NotFoundException")
    # Key id or key ARN only: an alias is refused.
    kms.create_alias(AliasName="alias/tagged", TargetKeyId=key["KeyId"])
    with pytest.raises(ClientError) as e:
        kms.list_resource_tags(KeyId="alias/tagged")
    assert error_of(e)[:2] == (400, "InvalidArnException")
    # Not a cross-account operation: another account's key ARN is not found.
    with pytest.raises(ClientError) as e:
        emulator.client("kms", key="111122220007").list_resource_tags(KeyId=key["Arn"])
    assert error_of(e)[:2] == (400, "NotFoundException")


def test_boto3_kms_create_key_tag_exceptions(emulator):
    account = "111122220008"
    kms = emulator.client("kms", key=account)
    bad_tags = [
        [{"TagKey": "aws:createdBy", "TagValue": "me"}],  # the reserved prefix
        [{"TagKey": "AWS:team", "TagValue": "x"}],  # in any case
        [{"TagKey": "team", "TagValue": "a"}, {"TagKey": "team", "TagValue": "b"}],  # a key twice
    ]
    for tags in bad_tags:
        with pytest.raises(ClientError) as e:
            kms.create_key(Tags=tags)
        status, code, resp = error_of(e)
        assert (status, code) == (400, "TagException"), tags
        assert resp["Error"]["Message"], tags
    # A key too long for TagKeyType (max 128) is the model's ValidationException.
    with pytest.raises(ClientError) as e:
        kms.create_key(Tags=[{"TagKey": "k" * 129, "TagValue": "v"}])
    assert error_of(e)[:2] == (400, "ValidationException")
    # None of the refused requests made a key; `aws` without the colon is an ordinary key.
    assert kms.list_aliases()["Aliases"] == []
    key = kms.create_key(Tags=[{"TagKey": "aws", "TagValue": "ok"}])["KeyMetadata"]
    assert kms.list_resource_tags(KeyId=key["KeyId"])["Tags"] == [{"TagKey": "aws", "TagValue": "ok"}]


# --------------------------------------------------------------------------- persistence


def test_state_survives_kill_9(start_emulator, tmp_path):
    state = tmp_path / "state"
    first = start_emulator("--state", str(state), "--seed", "5")
    ca = first.client("codeartifact")
    created = ca.create_domain(domain="durable", tags=[{"key": "k", "value": "v"}])["domain"]
    ca.put_domain_permissions_policy(domain="durable", policyDocument=POLICY)
    first.kill()
    assert first.proc.returncode == -9

    second = start_emulator("--state", str(state), "--seed", "6")
    ca = second.client("codeartifact")
    again = ca.describe_domain(domain="durable")["domain"]
    assert again["arn"] == created["arn"]
    assert again["encryptionKey"] == created["encryptionKey"]
    assert ca.list_tags_for_resource(resourceArn=created["arn"])["tags"] == [{"key": "k", "value": "v"}]
    assert ca.get_domain_permissions_policy(domain="durable")["policy"]["document"] == POLICY
    # The managed key the domain uses survived too.
    managed = second.client("kms").describe_key(KeyId="alias/aws/codeartifact")["KeyMetadata"]
    assert managed["Arn"] == created["encryptionKey"]


# --------------------------------------------------------------------------- aws CLI


def parsed(proc):
    return json.loads(proc.stdout) if proc.stdout.strip() else {}


def test_cli_codeartifact(aws):
    key = "111122220005"
    k = dict(key=key)
    fail = dict(key=key, check=False)
    created = aws.json("codeartifact", "create-domain", "--domain", "cli-dom", "--tags", "key=team,value=infra", **k)
    arn = created["domain"]["arn"]
    assert arn == f"arn:aws:codeartifact:{REGION}:{key}:domain/cli-dom"

    described, listed, _, put, dup, invalid, badsig = aws.many(
        (("codeartifact", "describe-domain", "--domain", "cli-dom", "--domain-owner", key), k),
        (("codeartifact", "list-domains"), k),
        (("codeartifact", "tag-resource", "--resource-arn", arn, "--tags", "key=env,value=test"), k),
        (("codeartifact", "put-domain-permissions-policy", "--domain", "cli-dom", "--policy-document", POLICY), k),
        (("codeartifact", "create-domain", "--domain", "cli-dom"), fail),
        (("codeartifact", "describe-domain", "--domain", "Bad_Name"), fail),
        (("codeartifact", "list-domains"), dict(key=key, secret="wrong", check=False)),
    )
    assert parsed(described)["domain"]["status"] == "Active"
    assert [d["name"] for d in parsed(listed)["domains"]] == ["cli-dom"]
    revision = parsed(put)["policy"]["revision"]
    # Errors: non-zero exit, the error code named on stderr.
    assert dup.returncode != 0
    assert "ConflictException" in dup.stderr and "CreateDomain" in dup.stderr, dup.stderr
    assert invalid.returncode != 0 and "ValidationException" in invalid.stderr, invalid.stderr
    assert badsig.returncode != 0 and "InvalidSignatureException" in badsig.stderr, badsig.stderr

    _, got = aws.many(
        (("codeartifact", "untag-resource", "--resource-arn", arn, "--tag-keys", "team"), k),
        (("codeartifact", "get-domain-permissions-policy", "--domain", "cli-dom"), k),
    )
    assert parsed(got)["policy"]["revision"] == revision
    tags, _ = aws.many(
        (("codeartifact", "list-tags-for-resource", "--resource-arn", arn), k),
        (("codeartifact", "delete-domain-permissions-policy", "--domain", "cli-dom", "--policy-revision", revision), k),
    )
    assert parsed(tags)["tags"] == [{"key": "env", "value": "test"}]
    missing, deleted = aws.many(
        (("codeartifact", "get-domain-permissions-policy", "--domain", "cli-dom"), fail),
        (("codeartifact", "delete-domain", "--domain", "cli-dom"), k),
    )
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr, missing.stderr
    assert parsed(deleted)["domain"]["status"] == "Deleted"
    assert aws.json("codeartifact", "list-domains", **k)["domains"] == []


def test_cli_pagination(start_emulator):
    from conftest import AwsCli

    emu = start_emulator("--domain-quota", "0", "--seed", "7")
    ca = emu.client("codeartifact")
    names = [f"cli-page-{i:02d}" for i in range(25)]
    for name in names:
        ca.create_domain(domain=name)
    cli = AwsCli(emu.url)
    everything, first, raw = cli.many(
        # The CLI follows nextToken itself: --page-size sets maxResults on each request.
        (("codeartifact", "list-domains", "--page-size", "10"), {}),
        (("codeartifact", "list-domains", "--max-items", "10", "--page-size", "4"), {}),
        # Without CLI pagination, the service's own page and token come through.
        (("codeartifact", "list-domains", "--max-results", "10", "--no-paginate"), {}),
    )
    assert [d["name"] for d in parsed(everything)["domains"]] == names
    first = parsed(first)
    assert [d["name"] for d in first["domains"]] == names[:10]
    raw = parsed(raw)
    assert len(raw["domains"]) == 10 and raw["nextToken"]
    rest = cli.json("codeartifact", "list-domains", "--starting-token", first["NextToken"])
    assert [d["name"] for d in rest["domains"]] == names[10:]


def test_cli_sts_and_kms(aws):
    me, assumed = aws.many(
        (("sts", "get-caller-identity"), {}),
        (("sts", "assume-role", "--role-arn", "arn:aws:iam::666677778888:role/cli-role", "--role-session-name", "cli"), {}),
    )
    assert parsed(me)["Account"] == ACCOUNT
    creds = parsed(assumed)["Credentials"]
    role = dict(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    fail = dict(role, check=False)
    who, made, key, asym, missing = aws.many(
        (("sts", "get-caller-identity"), role),
        (("codeartifact", "create-domain", "--domain", "cli-role-dom"), role),
        (("kms", "create-key", "--description", "cli key"), role),
        (("kms", "create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "SIGN_VERIFY"), role),
        (("kms", "describe-key", "--key-id", "alias/nope"), fail),
    )
    assert parsed(who)["Account"] == "666677778888"
    assert parsed(made)["domain"]["owner"] == "666677778888"
    assert missing.returncode != 0 and "NotFoundException" in missing.stderr, missing.stderr
    key = parsed(key)["KeyMetadata"]
    _, refused = aws.many(
        (("kms", "create-alias", "--alias-name", "alias/cli-key", "--target-key-id", key["KeyId"]), role),
        (("codeartifact", "create-domain", "--domain", "cli-asym",
          "--encryption-key", parsed(asym)["KeyMetadata"]["Arn"]), fail),
    )
    assert refused.returncode != 0 and "ValidationException" in refused.stderr, refused.stderr
    assert "ENCRYPTION_KEY_ERROR" in refused.stderr or "symmetric" in refused.stderr, refused.stderr
    assert aws.json("kms", "describe-key", "--key-id", "alias/cli-key", **role)["KeyMetadata"]["Arn"] == key["Arn"]


def test_cli_kms_list_resource_tags(aws):
    k = dict(key="111122220009")
    fail = dict(k, check=False)
    created = aws.json("kms", "create-key", "--description", "cli tags", "--tags", json.dumps(KEY_TAGS), **k)
    key = created["KeyMetadata"]
    everything, first, raw, alias, reserved, duplicate = aws.many(
        # The CLI follows NextMarker itself: --page-size sets Limit on each request.
        (("kms", "list-resource-tags", "--key-id", key["KeyId"], "--page-size", "2"), k),
        (("kms", "list-resource-tags", "--key-id", key["Arn"], "--max-items", "3", "--page-size", "2"), k),
        # Without CLI pagination, the service's own page, Truncated and NextMarker come through.
        (("kms", "list-resource-tags", "--key-id", key["KeyId"], "--limit", "2", "--no-paginate"), k),
        (("kms", "list-resource-tags", "--key-id", "alias/nope"), fail),
        (("kms", "create-key", "--tags", "TagKey=aws:team,TagValue=x"), fail),
        (("kms", "create-key", "--tags", "TagKey=a,TagValue=1", "TagKey=a,TagValue=2"), fail),
    )
    assert parsed(everything)["Tags"] == KEY_TAGS
    first = parsed(first)
    assert first["Tags"] == KEY_TAGS[:3] and first["NextToken"]
    raw = parsed(raw)
    assert raw["Tags"] == KEY_TAGS[:2] and raw["Truncated"] is True and raw["NextMarker"]
    assert alias.returncode != 0 and "InvalidArnException" in alias.stderr, alias.stderr
    assert reserved.returncode != 0 and "TagException" in reserved.stderr, reserved.stderr
    assert duplicate.returncode != 0 and "TagException" in duplicate.stderr, duplicate.stderr

    rest, marked, missing = aws.many(
        (("kms", "list-resource-tags", "--key-id", key["KeyId"], "--starting-token", first["NextToken"]), k),
        (("kms", "list-resource-tags", "--key-id", key["KeyId"], "--no-paginate", "--marker", raw["NextMarker"]), k),
        (("kms", "list-resource-tags", "--key-id", str(uuid.uuid4())), fail),
    )
    assert parsed(rest)["Tags"] == KEY_TAGS[3:]
    assert parsed(marked)["Tags"] == KEY_TAGS[2:]
    assert missing.returncode != 0 and "NotFoundException" in missing.stderr, missing.stderr


# --------------------------------------------------------------------------- admin API


def test_admin_faults_round_trip(start_emulator):
    emu = start_emulator("--seed", "8")
    assert emu.admin("GET", "health") == {"status": "ok"}
    faults = emu.admin("GET", "faults")
    faults["deny_accounts"] = ["777788889999"]
    emu.admin("PUT", "faults", faults)
    assert emu.admin("GET", "faults")["deny_accounts"] == ["777788889999"]
    with pytest.raises(ClientError) as e:
        emu.client("codeartifact", key="777788889999").list_domains()
    assert error_of(e)[:2] == (403, "AccessDeniedException")
    assert emu.client("codeartifact").list_domains()["domains"] == []
