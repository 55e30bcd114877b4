//! CreateDomain, DescribeDomain, ListDomains and DeleteDomain.

use super::{Summary, description, find, validate};
use crate::error::ApiError;
use crate::kms;
use crate::records::{Domain, Record};
use crate::service::{Call, Ctx};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// Versions the opaque pagination token, so that its form can change without misreading old ones.
const TOKEN_PREFIX: &str = "v1.";

pub fn create(ctx: &Ctx, call: &Call) -> Result<Value, ApiError> {
    let name = validate::domain_name("domain", call.query("domain"))?;
    let body = call.json_body()?;
    let key_ref = match body.get("encryptionKey") {
        None | Some(Value::Null) => None,
        Some(Value::String(s))
            if !s.is_empty() && s.len() <= 1011 && !s.chars().any(char::is_whitespace) =>
        {
            Some(s.clone())
        }
        Some(_) => {
            return Err(ApiError::field_validation(
                "1 validation error detected: Value at 'encryptionKey' failed to satisfy constraint: \
                 Member must satisfy regular expression pattern: \\S+",
            ));
        }
    };
    let tags = validate::tags(&body, false)?;
    if tags.len() > super::tags::MAX_TAGS {
        return Err(super::tags::too_many(&name));
    }
    let quota = ctx.config.quotas.domain_quota;
    ctx.store.write(|state| {
        if state.domain(&call.account, &call.region, &name).is_some() {
            return Err(ApiError::conflict(
                "domain",
                &name,
                format!("Domain {name} already exists in account {} in {}", call.account, call.region),
            ));
        }
        let count = state
            .region(&call.account, &call.region)
            .map_or(0, |r| r.domains.len());
        if quota != 0 && count >= quota as usize {
            return Err(ApiError::new(
                402,
                "ServiceQuotaExceededException",
                format!(
                    "You have exceeded the maximum number of domains ({quota}) for account {} in {}",
                    call.account, call.region
                ),
            )
            .with("resourceId", &name)
            .with("resourceType", "domain"));
        }
        let mut records = Vec::new();
        let key = match &key_ref {
            Some(r) => kms::resolve_key(state, &call.account, &call.region, r).ok_or_else(|| {
                ApiError::validation(
                    "ENCRYPTION_KEY_ERROR",
                    format!("The encryption key {r} does not exist or is not accessible"),
                )
            })?,
            None => {
                let (key, created) = kms::managed_key(ctx, state, &call.account, &call.region, "codeartifact");
                records.extend(created);
                key
            }
        };
        if key.key_spec != "SYMMETRIC_DEFAULT" || key.key_usage != "ENCRYPT_DECRYPT" {
            return Err(ApiError::validation(
                "ENCRYPTION_KEY_ERROR",
                format!(
                    "The encryption key {} is {} ({}); CodeArtifact supports only symmetric encryption keys",
                    key.arn(),
                    key.key_spec,
                    key.key_usage
                ),
            ));
        }
        let domain = Domain {
            name: name.clone(),
            owner: call.account.clone(),
            region: call.region.clone(),
            created_time: (call.now * 1000.0).round() / 1000.0,
            encryption_key: key.arn(),
            repository_count: 0,
            asset_size_bytes: 0,
            tags,
            policy: None,
        };
        let out = json!({ "domain": description(&domain, "Active") });
        records.push(Record::PutDomain(domain));
        Ok((out, records))
    })
}

pub fn describe(ctx: &Ctx, call: &Call) -> Result<Value, ApiError> {
    let name = validate::domain_name("domain", call.query("domain"))?;
    validate::owner(call, "domainOwner", call.query("domain-owner"))?;
    ctx.store.read(|state| {
        let d = find(state, call, &name)?;
        Ok(json!({ "domain": description(d, "Active") }))
    })
}

pub fn delete(ctx: &Ctx, call: &Call) -> Result<Value, ApiError> {
    let name = validate::domain_name("domain", call.query("domain"))?;
    validate::owner(call, "domainOwner", call.query("domain-owner"))?;
    ctx.store.write(|state| {
        let d = find(state, call, &name)?;
        if d.repository_count > 0 {
            return Err(ApiError::conflict(
                "domain",
                &name,
                format!(
                    "Domain {name} contains {} repositories; delete them before deleting the domain",
                    d.repository_count
                ),
            ));
        }
        let out = json!({ "domain": description(d, "Deleted") });
        let record = Record::DeleteDomain {
            owner: d.owner.clone(),
            region: d.region.clone(),
            name: name.clone(),
        };
        Ok((out, vec![record]))
    })
}

/// ListDomains' answer.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Listed {
    domains: Vec<Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

pub fn list(ctx: &Ctx, call: &Call) -> Result<Listed, ApiError> {
    let body = call.json_body()?;
    let max = match body.get("maxResults") {
        None | Some(Value::Null) => 1000,
        Some(v) => match v.as_u64() {
            Some(n @ 1..=1000) => n as usize,
            _ => {
                return Err(ApiError::field_validation(
                    "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: \
                     Member must have value between 1 and 1000",
                ));
            }
        },
    };
    let after = match body.get("nextToken") {
        None | Some(Value::Null) => None,
        Some(Value::String(token)) => Some(decode_token(token)?),
        Some(_) => {
            return Err(ApiError::validation(
                "CANNOT_PARSE",
                "`nextToken` must be a string",
            ));
        }
    };
    // Under the lock only the page's shares are taken; the answer is rendered after, so that
    // listings do not hold up each other or the writes.
    let (page, more) = ctx.store.read(|state| {
        let Some(region) = state.region(&call.account, &call.region) else {
            return (Vec::new(), false);
        };
        let mut range = match &after {
            Some(a) => region
                .domains
                .range::<String, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded)),
            None => region.domains.range::<String, _>(..),
        }
        .map(|(_, d)| d);
        let page: Vec<Arc<Domain>> = range.by_ref().take(max).cloned().collect();
        (page, range.next().is_some())
    });
    let next_token = page
        .last()
        .filter(|_| more)
        .map(|last| encode_token(&last.name));
    Ok(Listed {
        domains: page.into_iter().map(Summary).collect(),
        next_token,
    })
}

/// Tokens are opaque to clients: the last name returned, hex-encoded behind a version tag.
fn encode_token(last: &str) -> String {
    format!("{TOKEN_PREFIX}{}", hex::encode(last))
}

fn decode_token(token: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::field_validation("The nextToken is invalid or expired");
    let hex_part = token.strip_prefix(TOKEN_PREFIX).ok_or_else(invalid)?;
    let bytes = hex::decode(hex_part).map_err(|_| invalid())?;
    let name = String::from_utf8(bytes).map_err(|_| invalid())?;
    validate::domain_name("nextToken", Some(&name)).map_err(|_| invalid())
}
