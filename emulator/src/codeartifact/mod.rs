//! CodeArtifact (rest-json): serves each domain operation and renders domains as the API does.

mod domains;
mod policy;
mod tags;
mod validate;

use crate::error::ApiError;
use crate::operation::CodeArtifactOp;
use crate::protocol::Reply;
use crate::records::Domain;
use crate::service::{Call, Ctx};
use hyper::http::Method;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::{Value, json};
use std::sync::Arc;

/// The operation named by method and path, or CodeArtifact's answer to a path it does not serve.
pub fn operation(method: &Method, path: &str) -> Result<CodeArtifactOp, ApiError> {
    CodeArtifactOp::route(method.as_str(), path).ok_or_else(|| {
        ApiError::validation(
            "UNKNOWN_OPERATION",
            format!(
                "No CodeArtifact operation is served at {method} {}",
                path.trim_end_matches('/')
            ),
        )
    })
}

pub fn handle(ctx: &Ctx, call: &Call, op: CodeArtifactOp) -> Result<Reply, ApiError> {
    use CodeArtifactOp as Op;
    let value = match op {
        Op::CreateDomain => domains::create(ctx, call)?,
        Op::DescribeDomain => domains::describe(ctx, call)?,
        Op::DeleteDomain => domains::delete(ctx, call)?,
        // The two listings a run's observation repeats most render typed, outside the lock.
        Op::ListDomains => return Ok(Reply::json(&domains::list(ctx, call)?)),
        Op::ListTagsForResource => return Ok(Reply::json(&tags::list(ctx, call)?)),
        Op::TagResource => tags::tag(ctx, call)?,
        Op::UntagResource => tags::untag(ctx, call)?,
        Op::GetDomainPermissionsPolicy => policy::get(ctx, call)?,
        Op::PutDomainPermissionsPolicy => policy::put(ctx, call)?,
        Op::DeleteDomainPermissionsPolicy => policy::delete(ctx, call)?,
    };
    Ok(Reply::json(&value))
}

pub fn domain_arn(d: &Domain) -> String {
    format!(
        "arn:aws:codeartifact:{}:{}:domain/{}",
        d.region, d.owner, d.name
    )
}

/// `DomainDescription`.
fn description(d: &Domain, status: &str) -> Value {
    json!({
        "name": d.name,
        "owner": d.owner,
        "arn": domain_arn(d),
        "status": status,
        "createdTime": d.created_time,
        "encryptionKey": d.encryption_key,
        "repositoryCount": d.repository_count,
        "assetSizeBytes": d.asset_size_bytes,
        "s3BucketArn": format!("arn:aws:s3:::assets-{}-{}", d.owner, d.region),
    })
}

/// `DomainSummary`, serialised straight from the domain (members in the order `json!` gave them).
struct Summary(Arc<Domain>);

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = &*self.0;
        let mut s = serializer.serialize_struct("DomainSummary", 6)?;
        s.serialize_field("arn", &Arn(d))?;
        s.serialize_field("createdTime", &d.created_time)?;
        s.serialize_field("encryptionKey", &d.encryption_key)?;
        s.serialize_field("name", &d.name)?;
        s.serialize_field("owner", &d.owner)?;
        s.serialize_field("status", "Active")?;
        s.end()
    }
}

/// A domain's ARN, written into the output without a string of its own.
struct Arn<'a>(&'a Domain);

impl Serialize for Arn<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        serializer.collect_str(&format_args!(
            "arn:aws:codeartifact:{}:{}:domain/{}",
            d.region, d.owner, d.name
        ))
    }
}

/// The domain named by a request in the caller's account and Region, or 404.
fn find<'s>(
    state: &'s crate::state::State,
    call: &Call,
    name: &str,
) -> Result<&'s Domain, ApiError> {
    shared(state, call, name).map(|d| &**d)
}

/// As `find`, as a share that outlives the lock.
fn shared<'s>(
    state: &'s crate::state::State,
    call: &Call,
    name: &str,
) -> Result<&'s Arc<Domain>, ApiError> {
    state
        .domain(&call.account, &call.region, name)
        .ok_or_else(|| not_found(name))
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found("domain", name, format!("Domain {name} does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed summary is the member-for-member answer `json!` built before (in its order).
    #[test]
    fn a_typed_summary_is_the_json_summary() {
        let d = Domain {
            name: "my-domain".into(),
            owner: "111122223333".into(),
            region: "eu-west-1".into(),
            created_time: 1_795_916_493.125,
            encryption_key: "arn:aws:kms:eu-west-1:111122223333:key/k".into(),
            repository_count: 0,
            asset_size_bytes: 0,
            tags: vec![("team".into(), "a \"quoted\" value".into())],
            policy: None,
        };
        let expected = json!({
            "name": d.name,
            "owner": d.owner,
            "arn": domain_arn(&d),
            "status": "Active",
            "createdTime": d.created_time,
            "encryptionKey": d.encryption_key,
        });
        let typed = serde_json::to_string(&Summary(Arc::new(d))).unwrap();
        assert_eq!(typed, expected.to_string());
    }
}
