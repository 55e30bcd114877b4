//! KMS over JSON 1.1 (`X-Amz-Target: TrentService.<Op>`): keys and aliases, enough for
//! CodeArtifact's domain encryption and for keys provisioned with tags (CreateKey, CreateAlias,
//! DescribeKey, ListAliases, ListResourceTags).
//!
//! Keys hold no key material: nothing here encrypts. Keys and aliases live per (account,
//! Region); ARNs name their own account and Region and resolve there, as with real
//! cross-account key use (there are no key policies to deny it).

mod spec;

use crate::clock;
use crate::error::ApiError;
use crate::json11::{self, Input, serialization};
use crate::operation::KmsOp;
use crate::protocol::Reply;
use crate::records::{Alias, Key, Record};
use crate::service::{Call, Ctx};
use crate::state::State;
use serde_json::{Map, Value, json};

const TARGET_PREFIX: &str = "TrentService.";
const DEFAULT_LIMIT: u64 = 50;
/// The documented maximum page; the model allows asking for up to 1000, which KMS caps.
const MAX_PAGE: u64 = 100;
/// ListResourceTags' default and largest page.
const TAGS_PAGE: usize = 50;

/// The operation `X-Amz-Target` names, or KMS's answer to one it does not serve.
pub fn operation(headers: &hyper::http::HeaderMap) -> Result<KmsOp, ApiError> {
    json11::operation(headers, TARGET_PREFIX, KmsOp::named)
}

pub fn handle(ctx: &Ctx, call: &Call, op: KmsOp) -> Result<Reply, ApiError> {
    let input = Input::parse(call.body)?;
    let out = match op {
        KmsOp::CreateKey => create_key(ctx, call, &input)?,
        KmsOp::CreateAlias => create_alias(ctx, call, &input)?,
        KmsOp::DescribeKey => describe_key(ctx, call, &input)?,
        KmsOp::ListAliases => list_aliases(ctx, call, &input)?,
        KmsOp::ListResourceTags => list_resource_tags(ctx, call, &input)?,
    };
    Ok(Reply::json11(&out))
}

/// Resolve a key reference in the caller's (account, region): key id, key ARN, alias name
/// `alias/x`, alias ARN. ARNs name their own account+region (cross-account key ARNs resolve
/// in that account). `alias/aws/*` aliases exist once `managed_key` has created them (on a
/// service's first use, or when DescribeKey names them).
pub fn resolve_key(state: &State, account: &str, region: &str, key_ref: &str) -> Option<Key> {
    match parse_ref(account, region, key_ref).ok()? {
        Ref::Key(at) => find_key(state, &at),
        Ref::Alias(at) => find_alias(state, &at).and_then(|alias| {
            find_key(
                state,
                &At {
                    account: at.account,
                    region: at.region,
                    name: alias.target_key_id,
                },
            )
        }),
    }
}

/// The account's AWS-managed key for a service (alias `alias/aws/<service>`): returns it and,
/// when it does not exist yet, the records that create the key and its alias (the caller
/// journals them in the same `store.write`). Real KMS also creates these lazily, on a
/// service's first use.
pub fn managed_key(
    ctx: &Ctx,
    state: &State,
    account: &str,
    region: &str,
    service: &str,
) -> (Key, Vec<Record>) {
    let alias_name = format!("alias/aws/{service}");
    if let Some(key) = resolve_key(state, account, region, &alias_name) {
        return (key, Vec::new());
    }
    let now = clock::now_f64();
    let key = Key {
        id: ctx.uuid(),
        account: account.to_string(),
        region: region.to_string(),
        key_spec: "SYMMETRIC_DEFAULT".into(),
        key_usage: "ENCRYPT_DECRYPT".into(),
        description: format!(
            "Default key that protects my {service} data when no other key is defined"
        ),
        aws_managed: true,
        created: now,
        tags: Vec::new(),
    };
    let records = vec![
        Record::PutKey(key.clone()),
        Record::PutAlias {
            account: account.to_string(),
            region: region.to_string(),
            alias: Alias {
                name: alias_name,
                target_key_id: key.id.clone(),
                created: now,
            },
        },
    ];
    (key, records)
}

/// `alias/aws/<service>`: the service, when the name has that form.
fn predefined_alias(key_ref: &str) -> Option<&str> {
    key_ref.strip_prefix("alias/aws/").filter(|service| {
        !service.is_empty()
            && service
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

/// A resource in one account and Region: a key id or a full alias name.
struct At {
    account: String,
    region: String,
    name: String,
}

impl At {
    fn key_arn(&self) -> String {
        format!(
            "arn:aws:kms:{}:{}:key/{}",
            self.region, self.account, self.name
        )
    }

    fn alias_arn(&self) -> String {
        alias_arn(&self.region, &self.account, &self.name)
    }
}

fn alias_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:kms:{region}:{account}:{name}")
}

enum Ref {
    Key(At),
    Alias(At),
}

/// Read a `KeyId` parameter. Anything that is not an ARN or an alias name is a key id.
fn parse_ref(account: &str, region: &str, key_ref: &str) -> Result<Ref, ApiError> {
    let here = |name: &str| At {
        account: account.to_string(),
        region: region.to_string(),
        name: name.to_string(),
    };
    if key_ref.starts_with("alias/") {
        return Ok(Ref::Alias(here(key_ref)));
    }
    if !key_ref.starts_with("arn:") {
        return Ok(Ref::Key(here(key_ref)));
    }
    let invalid = || ApiError::new(400, "InvalidArnException", format!("Invalid arn {key_ref}"));
    let parts: Vec<&str> = key_ref.splitn(6, ':').collect();
    let [_, partition, service, arn_region, arn_account, resource] = parts[..] else {
        return Err(invalid());
    };
    if partition.is_empty() || service != "kms" || arn_region.is_empty() || arn_account.is_empty() {
        return Err(invalid());
    }
    let at = |name: &str| At {
        account: arn_account.to_string(),
        region: arn_region.to_string(),
        name: name.to_string(),
    };
    if let Some(id) = resource.strip_prefix("key/").filter(|id| !id.is_empty()) {
        Ok(Ref::Key(at(id)))
    } else if resource.len() > "alias/".len() && resource.starts_with("alias/") {
        Ok(Ref::Alias(at(resource)))
    } else {
        Err(invalid())
    }
}

fn find_key(state: &State, at: &At) -> Option<Key> {
    state
        .region(&at.account, &at.region)?
        .keys
        .get(&at.name)
        .cloned()
}

fn find_alias(state: &State, at: &At) -> Option<Alias> {
    state
        .region(&at.account, &at.region)?
        .aliases
        .get(&at.name)
        .cloned()
}

fn not_found(message: String) -> ApiError {
    ApiError::new(400, "NotFoundException", message)
}

fn key_not_found(at: &At) -> ApiError {
    not_found(format!("Key '{}' does not exist", at.key_arn()))
}

fn alias_not_found(at: &At) -> ApiError {
    not_found(format!("Alias {} is not found.", at.alias_arn()))
}

/// Resolve a `KeyId` parameter, or fail the way KMS does for the kind of reference it is.
fn lookup(state: &State, call: &Call, key_ref: &str) -> Result<Key, ApiError> {
    match parse_ref(&call.account, &call.region, key_ref)? {
        Ref::Key(at) => find_key(state, &at).ok_or_else(|| key_not_found(&at)),
        Ref::Alias(at) => {
            let alias = find_alias(state, &at).ok_or_else(|| alias_not_found(&at))?;
            let key_at = At {
                account: at.account,
                region: at.region,
                name: alias.target_key_id,
            };
            find_key(state, &key_at).ok_or_else(|| key_not_found(&key_at))
        }
    }
}

fn key_metadata(key: &Key) -> Value {
    let mut m = Map::new();
    m.insert("AWSAccountId".into(), json!(key.account));
    m.insert("KeyId".into(), json!(key.id));
    m.insert("Arn".into(), json!(key.arn()));
    m.insert("CreationDate".into(), json!(key.created));
    m.insert("Enabled".into(), json!(true));
    m.insert("Description".into(), json!(key.description));
    m.insert("KeyUsage".into(), json!(key.key_usage));
    m.insert("KeyState".into(), json!("Enabled"));
    m.insert("Origin".into(), json!("AWS_KMS"));
    let manager = if key.aws_managed { "AWS" } else { "CUSTOMER" };
    m.insert("KeyManager".into(), json!(manager));
    m.insert("KeySpec".into(), json!(key.key_spec));
    // The deprecated member mirrors KeySpec, but only has values for the older specs.
    if spec::CUSTOMER_MASTER_KEY_SPECS.contains(&key.key_spec.as_str()) {
        m.insert("CustomerMasterKeySpec".into(), json!(key.key_spec));
    }
    spec::algorithms(&key.key_spec, &key.key_usage, &mut m);
    m.insert("MultiRegion".into(), json!(false));
    json!({ "KeyMetadata": Value::Object(m) })
}

fn validation(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "ValidationException", message)
}

/// The model's constraint failures, worded as AWS words them.
fn constraint(value: &str, member: &str, rule: &str) -> ApiError {
    validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"
    ))
}

fn enum_constraint(value: &str, member: &str, allowed: &[&str]) -> ApiError {
    constraint(
        value,
        member,
        &format!(
            "Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ),
    )
}

/// A required string member with the model's length bounds.
fn required_str<'a>(
    input: &'a Input,
    name: &str,
    member: &str,
    max: usize,
) -> Result<&'a str, ApiError> {
    let value = input.str(name)?.ok_or_else(|| {
        validation(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    })?;
    check_len(value, member, 1, max)?;
    Ok(value)
}

fn check_len(value: &str, member: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let len = value.chars().count();
    if len < min {
        return Err(constraint(
            value,
            member,
            &format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if len > max {
        return Err(constraint(
            value,
            member,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

fn create_key(ctx: &Ctx, call: &Call, input: &Input) -> Result<Value, ApiError> {
    let key_spec = match (input.str("KeySpec")?, input.str("CustomerMasterKeySpec")?) {
        (Some(_), Some(_)) => {
            return Err(validation(
                "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. \
                 CustomerMasterKeySpec is deprecated.",
            ));
        }
        (Some(s), None) if !spec::KEY_SPECS.contains(&s) => {
            return Err(enum_constraint(s, "keySpec", spec::KEY_SPECS));
        }
        (None, Some(s)) if !spec::CUSTOMER_MASTER_KEY_SPECS.contains(&s) => {
            return Err(enum_constraint(
                s,
                "customerMasterKeySpec",
                spec::CUSTOMER_MASTER_KEY_SPECS,
            ));
        }
        (Some(s), None) | (None, Some(s)) => s,
        (None, None) => "SYMMETRIC_DEFAULT",
    };
    let key_usage = input.str("KeyUsage")?.unwrap_or("ENCRYPT_DECRYPT");
    if !spec::KEY_USAGES.contains(&key_usage) {
        return Err(enum_constraint(key_usage, "keyUsage", spec::KEY_USAGES));
    }
    if !spec::usages(key_spec).contains(&key_usage) {
        return Err(validation(format!(
            "KeyUsage {key_usage} is not compatible with KeySpec {key_spec}"
        )));
    }
    let description = input.str("Description")?.unwrap_or("");
    check_len(description, "description", 0, 8192)?;
    if let Some(policy) = input.str("Policy")? {
        check_len(policy, "policy", 1, 131_072)?;
        // Policies are not enforced, but one that is not a JSON document is refused as KMS would.
        if !matches!(serde_json::from_str::<Value>(policy), Ok(Value::Object(_))) {
            return Err(ApiError::new(
                400,
                "MalformedPolicyDocumentException",
                "The new key policy will not allow you to update the key policy in the future.",
            ));
        }
    }
    let origin = input.str("Origin")?.unwrap_or("AWS_KMS");
    if !spec::ORIGINS.contains(&origin) {
        return Err(enum_constraint(origin, "origin", spec::ORIGINS));
    }
    if origin != "AWS_KMS" {
        return Err(ApiError::new(
            400,
            "UnsupportedOperationException",
            format!("Origin {origin} is not supported by this endpoint; only AWS_KMS"),
        ));
    }
    if let Some(store) = input.str("CustomKeyStoreId")? {
        // No custom key stores exist here.
        return Err(ApiError::new(
            400,
            "CustomKeyStoreNotFoundException",
            format!("Custom key store '{store}' does not exist"),
        ));
    }
    if input.bool("MultiRegion")? == Some(true) {
        return Err(ApiError::new(
            400,
            "UnsupportedOperationException",
            "Multi-Region keys are not supported by this endpoint",
        ));
    }
    let tags = tags(input)?;
    // Accepted and not kept: there are no key policies here.
    input.bool("BypassPolicyLockoutSafetyCheck")?;

    let key = Key {
        id: ctx.uuid(),
        account: call.account.clone(),
        region: call.region.clone(),
        key_spec: key_spec.to_string(),
        key_usage: key_usage.to_string(),
        description: description.to_string(),
        aws_managed: false,
        created: call.now,
        tags,
    };
    let out = key_metadata(&key);
    ctx.store.write(|_| Ok((out, vec![Record::PutKey(key)])))
}

/// CreateKey's `Tags`: `{TagKey, TagValue}` objects, keys 1–128 and values 0–256 characters,
/// no `aws:` keys and no key twice (KMS answers `TagException` for each).
fn tags(input: &Input) -> Result<Vec<(String, String)>, ApiError> {
    let Some(list) = input.get("Tags") else {
        return Ok(Vec::new());
    };
    let Some(list) = list.as_array() else {
        return Err(serialization("Tags must be a list"));
    };
    let tag_error = |m: String| ApiError::new(400, "TagException", m);
    let mut out: Vec<(String, String)> = Vec::new();
    for tag in list {
        let member = |name: &str| match tag.get(name) {
            Some(Value::String(s)) => Ok(s.as_str()),
            Some(_) => Err(serialization(format!("{name} must be a string"))),
            None => Err(validation(format!(
                "1 validation error detected: Value null at 'tags.member.{}' failed to satisfy constraint: Member must not be null",
                if name == "TagKey" {
                    "tagKey"
                } else {
                    "tagValue"
                }
            ))),
        };
        let (key, value) = (member("TagKey")?, member("TagValue")?);
        check_len(key, "tags.member.tagKey", 1, 128)?;
        check_len(value, "tags.member.tagValue", 0, 256)?;
        if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            return Err(tag_error(format!(
                "Tag key {key} uses the reserved prefix aws:"
            )));
        }
        if out.iter().any(|(k, _)| k == key) {
            return Err(tag_error(format!("Duplicate tag key {key}")));
        }
        out.push((key.to_string(), value.to_string()));
    }
    Ok(out)
}

fn create_alias(ctx: &Ctx, call: &Call, input: &Input) -> Result<Value, ApiError> {
    let name = required_str(input, "AliasName", "aliasName", 256)?;
    let target = required_str(input, "TargetKeyId", "targetKeyId", 2048)?;
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ":/_-".contains(c))
    {
        return Err(constraint(
            name,
            "aliasName",
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
        ));
    }
    let Some(short) = name.strip_prefix("alias/") else {
        // Real KMS's answer (a ValidationException, not InvalidAliasNameException).
        return Err(validation(
            "Alias must start with the prefix \"alias/\". Please see \
             https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
        ));
    };
    if short.is_empty() {
        return Err(ApiError::new(
            400,
            "InvalidAliasNameException",
            "Alias name must not be empty after the \"alias/\" prefix",
        ));
    }
    if short.starts_with("aws/") {
        return Err(ApiError::new(
            400,
            "InvalidAliasNameException",
            "Cannot create alias with prefix 'alias/aws/': it is reserved for AWS managed keys",
        ));
    }
    let target_at = match parse_ref(&call.account, &call.region, target)? {
        Ref::Alias(_) => {
            return Err(validation(
                "TargetKeyId must be a key ID or key ARN, not an alias",
            ));
        }
        Ref::Key(at) => at,
    };
    let here = At {
        account: call.account.clone(),
        region: call.region.clone(),
        name: name.to_string(),
    };
    ctx.store.write(|state| {
        // An alias and its key are in the same account and Region: a key ARN elsewhere is not found.
        let same_place = target_at.account == here.account && target_at.region == here.region;
        let Some(key) = find_key(state, &target_at).filter(|_| same_place) else {
            return Err(key_not_found(&target_at));
        };
        if key.aws_managed {
            return Err(validation(format!(
                "Cannot create an alias for the AWS managed key {}",
                key.arn()
            )));
        }
        if find_alias(state, &here).is_some() {
            return Err(ApiError::new(
                400,
                "AlreadyExistsException",
                format!("An alias with the name {} already exists", here.alias_arn()),
            ));
        }
        let record = Record::PutAlias {
            account: here.account.clone(),
            region: here.region.clone(),
            alias: Alias {
                name: here.name.clone(),
                target_key_id: key.id,
                created: call.now,
            },
        };
        Ok((json!({}), vec![record]))
    })
}

fn describe_key(ctx: &Ctx, call: &Call, input: &Input) -> Result<Value, ApiError> {
    let key_ref = required_str(input, "KeyId", "keyId", 2048)?;
    // "AWS services use DescribeKey to create AWS managed keys from a predefined AWS alias
    // with no key ID" (the KMS model): describing `alias/aws/<service>` creates that key.
    if let Some(service) = predefined_alias(key_ref) {
        let key = ctx.store.write(|state| {
            Ok(managed_key(
                ctx,
                state,
                &call.account,
                &call.region,
                service,
            ))
        })?;
        return Ok(key_metadata(&key));
    }
    ctx.store
        .read(|state| lookup(state, call, key_ref))
        .map(|key| key_metadata(&key))
}

/// A listing's `Limit`, as the model allows it (1–1000); each listing caps its own page.
fn page_limit(input: &Input) -> Result<Option<u64>, ApiError> {
    match input.int("Limit")? {
        None => Ok(None),
        Some(n) if n < 1 => Err(constraint(
            &n.to_string(),
            "limit",
            "Member must have value greater than or equal to 1",
        )),
        Some(n) if n > 1000 => Err(constraint(
            &n.to_string(),
            "limit",
            "Member must have value less than or equal to 1000",
        )),
        Some(n) => Ok(Some(n as u64)),
    }
}

/// A listing's `Marker`, decoded (one this endpoint handed out, or InvalidMarkerException).
fn marker(input: &Input) -> Result<Option<String>, ApiError> {
    input
        .str("Marker")?
        .map(|m| json11::decode_token(m).ok_or_else(invalid_marker))
        .transpose()
}

fn invalid_marker() -> ApiError {
    ApiError::new(400, "InvalidMarkerException", "Invalid marker")
}

fn list_aliases(ctx: &Ctx, call: &Call, input: &Input) -> Result<Value, ApiError> {
    let limit = page_limit(input)?.map_or(DEFAULT_LIMIT, |n| n.min(MAX_PAGE));
    let after = marker(input)?;
    let key_ref = input.str("KeyId")?;
    if let Some(r) = key_ref {
        check_len(r, "keyId", 1, 2048)?;
    }
    ctx.store.read(|state| {
        let filter = match key_ref {
            None => None,
            Some(r) => match parse_ref(&call.account, &call.region, r)? {
                Ref::Key(at) => Some(find_key(state, &at).ok_or_else(|| key_not_found(&at))?.id),
                Ref::Alias(_) => {
                    return Err(validation(
                        "KeyId must be a key ID or key ARN, not an alias",
                    ));
                }
            },
        };
        let aliases = state
            .region(&call.account, &call.region)
            .map(|r| &r.aliases);
        let mut matching = aliases
            .into_iter()
            .flat_map(|a| a.values())
            .filter(|a| after.as_ref().is_none_or(|m| a.name > *m))
            .filter(|a| filter.as_ref().is_none_or(|id| a.target_key_id == *id));
        let page: Vec<&Alias> = matching.by_ref().take(limit as usize).collect();
        let truncated = matching.next().is_some();
        let entries: Vec<Value> = page
            .iter()
            .map(|a| {
                json!({
                    "AliasName": a.name,
                    "AliasArn": alias_arn(&call.region, &call.account, &a.name),
                    "TargetKeyId": a.target_key_id,
                    "CreationDate": a.created,
                    "LastUpdatedDate": a.created,
                })
            })
            .collect();
        let mut out = json!({ "Aliases": entries, "Truncated": truncated });
        if let (true, Some(last)) = (truncated, page.last()) {
            out["NextMarker"] = json!(json11::encode_token(&last.name));
        }
        Ok(out)
    })
}

/// ListResourceTags of a key in the caller's account and Region (key id or key ARN; KMS
/// refuses aliases here), paged by `Limit` and `Marker`. The model allows a `Limit` of 1–1000;
/// KMS documents 1–50 and returns at most 50 ("it might return fewer"), as with ListAliases.
/// Not a cross-account operation (the model's documentation): a key ARN of another account
/// or Region is not found, as with CreateAlias.
fn list_resource_tags(ctx: &Ctx, call: &Call, input: &Input) -> Result<Value, ApiError> {
    let key_ref = required_str(input, "KeyId", "keyId", 2048)?;
    let limit = page_limit(input)?.map_or(TAGS_PAGE, |n| (n as usize).min(TAGS_PAGE));
    let start = match marker(input)? {
        None => 0,
        Some(m) => m.parse::<usize>().map_err(|_| invalid_marker())?,
    };
    ctx.store.read(|state| {
        let key = match parse_ref(&call.account, &call.region, key_ref)? {
            Ref::Key(at) => {
                let here = at.account == call.account && at.region == call.region;
                find_key(state, &at)
                    .filter(|_| here)
                    .ok_or_else(|| key_not_found(&at))?
            }
            Ref::Alias(_) => {
                return Err(ApiError::new(
                    400,
                    "InvalidArnException",
                    "KeyId must be a key ID or key ARN, not an alias",
                ));
            }
        };
        let page: Vec<Value> = key
            .tags
            .iter()
            .skip(start)
            .take(limit)
            .map(|(k, v)| json!({ "TagKey": k, "TagValue": v }))
            .collect();
        let next = start + page.len();
        let truncated = next < key.tags.len();
        let mut out = json!({ "Tags": page, "Truncated": truncated });
        if truncated {
            out["NextMarker"] = json!(json11::encode_token(&next.to_string()));
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests;
