//! CodeArtifact (rest-json): routes a request to its operation and renders domains as the API does.

mod domains;
mod policy;
mod tags;
mod validate;

use crate::error::ApiError;
use crate::protocol::Reply;
use crate::records::Domain;
use crate::service::{Call, Ctx, Kind, Operation};
use hyper::http::Method;
use serde_json::{Value, json};

/// The operation named by method and path, as the service model's `http` bindings say.
pub fn operation(method: &Method, path: &str) -> Result<Operation, ApiError> {
    use Kind::{Read, Write};
    let path = path.trim_end_matches('/');
    let (name, kind) = match (method.as_str(), path) {
        ("POST", "/v1/domain") => ("CreateDomain", Write),
        ("GET", "/v1/domain") => ("DescribeDomain", Read),
        ("DELETE", "/v1/domain") => ("DeleteDomain", Write),
        ("POST", "/v1/domains") => ("ListDomains", Read),
        ("POST", "/v1/tag") => ("TagResource", Write),
        ("POST", "/v1/untag") => ("UntagResource", Write),
        ("POST", "/v1/tags") => ("ListTagsForResource", Read),
        ("GET", "/v1/domain/permissions/policy") => ("GetDomainPermissionsPolicy", Read),
        ("PUT", "/v1/domain/permissions/policy") => ("PutDomainPermissionsPolicy", Write),
        ("DELETE", "/v1/domain/permissions/policy") => ("DeleteDomainPermissionsPolicy", Write),
        _ => {
            return Err(ApiError::validation(
                "UNKNOWN_OPERATION",
                format!("No CodeArtifact operation is served at {method} {path}"),
            ));
        }
    };
    Ok(Operation { name, kind })
}

pub fn handle(ctx: &Ctx, call: &Call, op: Operation) -> Result<Reply, ApiError> {
    let value = match op.name {
        "CreateDomain" => domains::create(ctx, call)?,
        "DescribeDomain" => domains::describe(ctx, call)?,
        "DeleteDomain" => domains::delete(ctx, call)?,
        "ListDomains" => domains::list(ctx, call)?,
        "TagResource" => tags::tag(ctx, call)?,
        "UntagResource" => tags::untag(ctx, call)?,
        "ListTagsForResource" => tags::list(ctx, call)?,
        "GetDomainPermissionsPolicy" => policy::get(ctx, call)?,
        "PutDomainPermissionsPolicy" => policy::put(ctx, call)?,
        "DeleteDomainPermissionsPolicy" => policy::delete(ctx, call)?,
        other => {
            return Err(ApiError::internal(format!(
                "operation {other} has no handler"
            )));
        }
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
