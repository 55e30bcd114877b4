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
use serde_json::{Value, json};

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
        Op::ListDomains => domains::list(ctx, call)?,
        Op::TagResource => tags::tag(ctx, call)?,
        Op::UntagResource => tags::untag(ctx, call)?,
        Op::ListTagsForResource => tags::list(ctx, call)?,
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

/// `DomainSummary`.
fn summary(d: &Domain) -> Value {
    json!({
        "name": d.name,
        "owner": d.owner,
        "arn": domain_arn(d),
        "status": "Active",
        "createdTime": d.created_time,
        "encryptionKey": d.encryption_key,
    })
}

/// The domain named by a request in the caller's account and Region, or 404.
fn find<'s>(
    state: &'s crate::state::State,
    call: &Call,
    name: &str,
) -> Result<&'s Domain, ApiError> {
    state
        .domain(&call.account, &call.region, name)
        .ok_or_else(|| not_found(name))
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found("domain", name, format!("Domain {name} does not exist"))
}
