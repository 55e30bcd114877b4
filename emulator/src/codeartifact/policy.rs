//! Get/Put/DeleteDomainPermissionsPolicy, with revisions guarding concurrent edits.

use super::{domain_arn, find, validate};
use crate::error::ApiError;
use crate::records::{Domain, Policy, Record};
use crate::service::{Call, Ctx};
use serde_json::{Value, json};

fn resource_policy(d: &Domain, p: &Policy) -> Value {
    json!({ "policy": { "resourceArn": domain_arn(d), "revision": p.revision, "document": p.document } })
}

fn no_policy(name: &str) -> ApiError {
    ApiError::not_found(
        "domain",
        name,
        format!("Domain {name} has no permissions policy"),
    )
}

fn revision_conflict(name: &str) -> ApiError {
    ApiError::conflict(
        "domain",
        name,
        format!("The policy revision given does not match the current policy of domain {name}"),
    )
}

fn revision_field(value: Option<&str>) -> Result<Option<String>, ApiError> {
    match value {
        None => Ok(None),
        Some(r) if (1..=100).contains(&r.len()) && !r.chars().any(char::is_whitespace) => {
            Ok(Some(r.to_string()))
        }
        Some(_) => Err(ApiError::field_validation(
            "1 validation error detected: Value at 'policyRevision' failed to satisfy constraint: \
             Member must have length between 1 and 100",
        )),
    }
}

pub fn get(ctx: &Ctx, call: &Call) -> Result<Value, ApiError> {
    let name = validate::domain_name("domain", call.query("domain"))?;
    validate::owner(call, "domainOwner", call.query("domain-owner"))?;
    ctx.store.read(|state| {
        let d = find(state, call, &name)?;
        let p = d.policy.as_ref().ok_or_else(|| no_policy(&name))?;
        Ok(resource_policy(d, p))
    })
}

pub fn put(ctx: &Ctx, call: &Call) -> Result<Value, ApiError> {
    let body = call.json_body()?;
    let field = |k: &str| body.get(k).and_then(Value::as_str);
    let name = validate::domain_name("domain", field("domain"))?;
    validate::owner(call, "domainOwner", field("domainOwner"))?;
    let expected = revision_field(field("policyRevision"))?;
    let document = field("policyDocument").unwrap_or("");
    if document.is_empty() || document.len() > 7168 {
        return Err(ApiError::field_validation(
            "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: \
             Member must have length between 1 and 7168",
        ));
    }
    if !validate::is_json_object(document) {
        return Err(ApiError::field_validation(
            "The policy document is not a valid JSON policy",
        ));
    }
    let revision = ctx.uuid();
    ctx.store.write(|state| {
        let mut d = find(state, call, &name)?.clone();
        if expected
            .as_ref()
            .is_some_and(|e| d.policy.as_ref().map(|p| &p.revision) != Some(e))
        {
            return Err(revision_conflict(&name));
        }
        let policy = Policy {
            revision,
            document: document.to_string(),
        };
        let out = resource_policy(&d, &policy);
        d.policy = Some(policy);
        Ok((out, vec![Record::PutDomain(d)]))
    })
}

pub fn delete(ctx: &Ctx, call: &Call) -> Result<Value, ApiError> {
    let name = validate::domain_name("domain", call.query("domain"))?;
    validate::owner(call, "domainOwner", call.query("domain-owner"))?;
    let expected = revision_field(call.query("policy-revision"))?;
    ctx.store.write(|state| {
        let mut d = find(state, call, &name)?.clone();
        let Some(p) = d.policy.take() else {
            return Err(no_policy(&name));
        };
        if expected.as_ref().is_some_and(|e| *e != p.revision) {
            return Err(revision_conflict(&name));
        }
        let out = resource_policy(&d, &p);
        Ok((out, vec![Record::PutDomain(d)]))
    })
}
