//! TagResource, UntagResource and ListTagsForResource on domain ARNs.

use super::{find, shared, validate};
use crate::error::ApiError;
use crate::records::{Domain, Record};
use crate::service::{Call, Ctx};
use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};
use serde_json::{Value, json};
use std::sync::Arc;

/// User tags per resource, as AWS allows.
pub const MAX_TAGS: usize = 50;

pub fn too_many(name: &str) -> ApiError {
    ApiError::new(
        402,
        "ServiceQuotaExceededException",
        format!("A resource can have at most {MAX_TAGS} tags"),
    )
    .with("resourceId", name)
    .with("resourceType", "domain")
}

pub fn tag(ctx: &Ctx, call: &Call) -> Result<Value, ApiError> {
    let name = validate::domain_arn(call)?;
    let new = validate::tags(&call.json_body()?, true)?;
    ctx.store.write(|state| {
        let mut domain = find(state, call, &name)?.clone();
        for (key, value) in new {
            match domain.tags.iter_mut().find(|(k, _)| *k == key) {
                Some(existing) => existing.1 = value,
                None => domain.tags.push((key, value)),
            }
        }
        if domain.tags.len() > MAX_TAGS {
            return Err(too_many(&name));
        }
        Ok((json!({}), vec![Record::PutDomain(domain)]))
    })
}

pub fn untag(ctx: &Ctx, call: &Call) -> Result<Value, ApiError> {
    let name = validate::domain_arn(call)?;
    let body = call.json_body()?;
    let keys: Vec<String> = match body.get("tagKeys") {
        Some(Value::Array(list)) if list.len() <= 200 => list
            .iter()
            .map(|k| k.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| {
                ApiError::validation("CANNOT_PARSE", "`tagKeys` must be a list of strings")
            })?,
        Some(Value::Array(_)) => {
            return Err(ApiError::field_validation(
                "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: \
                 Member must have length less than or equal to 200",
            ));
        }
        _ => {
            return Err(ApiError::field_validation(
                "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must not be null",
            ));
        }
    };
    ctx.store.write(|state| {
        let mut domain = find(state, call, &name)?.clone();
        domain.tags.retain(|(k, _)| !keys.contains(k));
        Ok((json!({}), vec![Record::PutDomain(domain)]))
    })
}

/// ListTagsForResource's answer: `{"tags": [{"key", "value"}]}`, rendered from the domain
/// after the lock is let go.
pub struct Listed(Arc<Domain>);

impl Serialize for Listed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ListTagsForResourceResult", 1)?;
        s.serialize_field("tags", &Tags(&self.0.tags))?;
        s.end()
    }
}

struct Tags<'a>(&'a [(String, String)]);

impl Serialize for Tags<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for (key, value) in self.0 {
            seq.serialize_element(&Tag { key, value })?;
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct Tag<'a> {
    key: &'a str,
    value: &'a str,
}

pub fn list(ctx: &Ctx, call: &Call) -> Result<Listed, ApiError> {
    let name = validate::domain_arn(call)?;
    let domain = ctx
        .store
        .read(|state| shared(state, call, &name).cloned())?;
    Ok(Listed(domain))
}
