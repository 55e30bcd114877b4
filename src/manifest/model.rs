//! The manifest *as written*: serde + schemars types.
//!
//! These structs are the single source of truth for the manifest's shape:
//! `schemas/manifest.schema.json` is generated from them, and the validator
//! derives the known keys, required keys and value types of every level from
//! that same generated schema (see [`super::schema`]). The validator itself
//! walks a spanned tree rather than deserializing into these structs, so that
//! it can report every problem with a precise location.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// A `provision` manifest: the CodeArtifact domains that should exist.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "provision manifest")]
pub struct RawManifest {
    /// Manifest format version. Must be `1`.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// Values used by every domain that does not set them itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<RawDefaults>,
    /// Named AWS accounts and how to reach them. Names are 1–64 characters:
    /// ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit
    /// (`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`), because they are printed in plans,
    /// logs and diagnostics, where a control character would act on the terminal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "accounts_schema")]
    pub accounts: Option<BTreeMap<String, RawAccount>>,
    /// How accounts discovered from AWS Organizations (a domain's `accounts: { ou: … }`) are
    /// reached. Discovery runs with the caller's credentials: the management account or a
    /// delegated administrator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<RawOrganization>,
    /// The tag that marks a domain as this manifest's, one `KEY: VALUE` whose value no other
    /// manifest uses (e.g. `provision/manifest: platform-domains`): every domain the manifest
    /// names carries it, and a live domain in its accounts and Regions that carries it but is not
    /// named is planned for deletion (`- delete`), deleted only by `apply --prune`. A domain
    /// without it is never deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "ownership_schema")]
    pub ownership: Option<BTreeMap<String, String>>,
    /// Customer managed KMS keys to create when missing, by alias per account and Region, so
    /// that domains naming the alias can be created in the same run. A key already under the
    /// alias is used as is; keys are never changed or deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<RawKey>>,
    /// The CodeArtifact domains, applied in file order.
    pub domains: Vec<RawDomain>,
}

/// A customer managed KMS key (symmetric, for encryption), known by its alias.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawKey {
    /// `alias/` and 1–250 letters, digits, `/`, `_` or `-`; not `alias/aws/…` (AWS-managed keys).
    #[schemars(regex(pattern = r"^alias/[a-zA-Z0-9/_-]{1,250}$"))]
    pub alias: String,
    /// A name from `accounts` or a 12-digit account id. Default: `defaults.account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Declare this key in each of these accounts (instead of `account`): a list, or a selection
    /// from AWS Organizations, as for domains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<RawAccounts>,
    /// AWS Region. Default: `defaults.region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Declare this key in each of these Regions (instead of `region`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub regions: Option<Vec<String>>,
    /// The key's description, set when it is created (at most 8192 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 8192))]
    pub description: Option<String>,
    /// Tags put on the key when it is created (`defaults.tags` are for domains and do not apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "tags_schema")]
    pub tags: Option<BTreeMap<String, String>>,
}

/// Defaults for every domain.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    /// AWS Region, e.g. `us-east-1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A name from `accounts` or a 12-digit account id (quoted). Absent: the caller's account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// KMS key: key id, key ARN, `alias/NAME` or alias ARN. Absent: the AWS-managed key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_key: Option<String>,
    /// Tags put on every domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "tags_schema")]
    pub tags: Option<BTreeMap<String, String>>,
    /// `merge` (default): leave tags not in the manifest alone; `exact`: remove them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags_mode: Option<RawTagsMode>,
}

/// An AWS account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAccount {
    /// 12-digit AWS account id, as a quoted string.
    #[schemars(regex(pattern = r"^[0-9]{12}$"))]
    pub id: String,
    /// IAM role to assume in this account: `arn:aws:iam::ID:role/NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$"))]
    pub role_arn: Option<String>,
    /// Named AWS profile to use instead of assuming a role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub profile: Option<String>,
    /// External id passed when assuming `role_arn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 2, max = 1224))]
    pub external_id: Option<String>,
    /// Session name used when assuming `role_arn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 2, max = 64))]
    pub session_name: Option<String>,
}

/// The `organization` section.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOrganization {
    /// The role assumed in each discovered account, by name (a path is allowed:
    /// `platform/provisioner`); it becomes `arn:aws:iam::<account id>:role/<role_name>`.
    /// Default: `OrganizationAccountAccessRole`, the role AWS Organizations creates in the
    /// accounts it creates. The caller's own account is reached with the caller's credentials,
    /// and an account listed under `accounts` (by id) with its own settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9+=,.@_/-]{1,512}$"))]
    pub role_name: Option<String>,
    /// External id passed when assuming the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 2, max = 1224))]
    pub external_id: Option<String>,
    /// Session name used when assuming the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 2, max = 64))]
    pub session_name: Option<String>,
}

/// A domain's accounts when it is a template: a list, or a selection from the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RawAccounts {
    /// Names from `accounts` or 12-digit account ids.
    List(Vec<String>),
    Select(RawSelect),
}

/// Accounts chosen from AWS Organizations: those under the organizational units, ACTIVE,
/// carrying every tag given, minus the excluded ones. Accounts in any other state are listed
/// in the plan as skipped.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSelect {
    /// An organizational unit, or a list: by id (`ou-ab12-cd34efgh`, or the root `r-ab12`) or by
    /// its path of names from the root (`Root/Workloads/Sandbox`; `Root` is the whole organisation).
    pub ou: RawOneOrMany,
    /// Also the accounts of the units below (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive: Option<bool>,
    /// Only accounts carrying every one of these tags with these values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    /// Accounts left out, by name or 12-digit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude: Option<Vec<String>>,
}

/// One value or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RawOneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A CodeArtifact domain, or a template of one stamped over `accounts` × `regions`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDomain {
    /// Domain name: 2–50 characters, lowercase letters, digits and `-`, starting with a letter.
    /// May hold `${account.name}`, `${account.id}`, `${region}` and `${account.tags.KEY}`; each
    /// filled-in value is made to fit by one rule (lowercase; other characters than `a-z`, `0-9`
    /// and `-` become `-`; runs of `-` become one; `-` at either end dropped) and the stamped
    /// name is then checked.
    #[schemars(schema_with = "domain_name_schema")]
    pub name: String,
    /// A name from `accounts` or a 12-digit account id. Default: `defaults.account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Stamp this domain in each of these accounts (instead of `account`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<RawAccounts>,
    /// AWS Region. Default: `defaults.region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Stamp this domain in each of these Regions (instead of `region`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub regions: Option<Vec<String>>,
    /// KMS key. Default: `defaults.encryption_key`, else the AWS-managed key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_key: Option<String>,
    /// Tags, merged over `defaults.tags` (the domain wins). Values may hold the placeholders
    /// the name may (filled in as they are, not reshaped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "tags_schema")]
    pub tags: Option<BTreeMap<String, String>>,
    /// Overrides `defaults.tags_mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags_mode: Option<RawTagsMode>,
    /// The domain's resource policy (not allowed in `defaults`: one policy for every domain is
    /// never what is meant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<RawPolicy>,
}

/// A domain permission policy: exactly one of `file`, `document` or `share_with_organization`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1, "maxProperties" = 1))]
pub struct RawPolicy {
    /// A JSON file holding the policy document (a JSON object of at most 7168 bytes), relative
    /// to the manifest's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub file: Option<String>,
    /// The policy document written inline (`Version`, `Statement`, ...); sent as JSON, at most
    /// 7168 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<serde_json::Map<String, serde_json::Value>>,
    /// Share the domain with the caller's whole AWS organisation: `read` allows every principal
    /// whose `aws:PrincipalOrgID` is the organisation's id to read from its repositories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_with_organization: Option<RawShare>,
}

/// What `share_with_organization` grants the organisation: `read` is GetAuthorizationToken,
/// GetRepositoryEndpoint, ReadFromRepository, ListRepositoriesInDomain and DescribeDomain.
// No doc comments on the variants: they would make the schema a `oneOf` of `const`s, which the
// validator's schema pass (and its did-you-mean) reads less well than an `enum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawShare {
    Read,
}

/// How tags that are not in the manifest are treated: `merge` adds and updates
/// the manifest's tags and leaves others alone; `exact` makes the domain's tags
/// exactly the manifest's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawTagsMode {
    Merge,
    Exact,
}

/// `accounts`: a mapping of account names (see `RawManifest::accounts`) to
/// [`RawAccount`]s. The name rule is written as the tag rules are (see
/// [`tags_schema`]): a first-character pattern, and no character outside the
/// set anywhere, rather than a `$`-anchored pattern.
fn accounts_schema(generator: &mut SchemaGenerator) -> Schema {
    let account = generator.subschema_for::<RawAccount>();
    json_schema!({
        "type": ["object", "null"],
        "propertyNames": {
            "minLength": 1,
            "maxLength": 64,
            "pattern": "^[A-Za-z0-9]",
            "not": { "pattern": "[^A-Za-z0-9._-]" }
        },
        "additionalProperties": account
    })
}

/// A domain name: CodeArtifact's rule, or a template holding at least one `${…}` placeholder
/// whose written parts use the name's characters (the stamped name is checked when it is known).
/// `type` in each branch, so that a value of another type matches neither.
fn domain_name_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "type": "string", "pattern": "^[a-z][a-z0-9-]{0,48}[a-z0-9]$" },
            {
                "type": "string",
                "pattern": "^([a-z0-9-]|\\$\\{[^}]+\\})*\\$\\{[^}]+\\}([a-z0-9-]|\\$\\{[^}]+\\})*$"
            }
        ]
    })
}

/// `ownership`: one tag, under the tag rules.
fn ownership_schema(generator: &mut SchemaGenerator) -> Schema {
    let mut schema = tags_schema(generator);
    schema.insert("minProperties".into(), 1.into());
    schema.insert("maxProperties".into(), 1.into());
    schema.insert(
        "description".into(),
        "One tag (`KEY: VALUE`) that marks the manifest's domains.".into(),
    );
    schema
}

/// The tag rules, in regex forms every common JSON Schema validator accepts
/// alike: no `\p{..}` classes (Python's `re`, among others, rejects them), no
/// lookaround (not in every engine) and no `$` anchor (in Python, Java and .NET
/// it also matches before a final newline, which would let one through).
/// Control characters (Unicode `Cc`: U+0000–U+001F, U+007F–U+009F) are banned
/// by *not* matching any of them anywhere; the other characters of `\p{C}`
/// (format, private use) need Unicode tables, so the semantic validator remains
/// the precise check.
fn tags_schema(_: &mut SchemaGenerator) -> Schema {
    const CONTROL: &str = "[\\x00-\\x1f\\x7f-\\x9f]";
    json_schema!({
        "description": "Tag keys 1–128 characters (no `aws:` prefix), values 0–256 characters; at most 50 tags per domain after merging.",
        "type": "object",
        "propertyNames": {
            "minLength": 1,
            "maxLength": 128,
            "not": { "anyOf": [{ "pattern": "^[aA][wW][sS]:" }, { "pattern": CONTROL }] }
        },
        // `type` inside `not` too, or a non-string value would also fail the `not`.
        "additionalProperties": {
            "type": "string",
            "maxLength": 256,
            "not": { "type": "string", "pattern": CONTROL }
        },
        "maxProperties": 50
    })
}
