//! Unauthenticated `/_emulator/*` endpoints for tests and benchmarks: health, stats, faults, domain and organisation fixtures.

use crate::config::Faults;
use crate::error::ApiError;
use crate::organizations::Organization;
use crate::protocol::{Protocol, Reply};
use crate::records::Record;
use crate::service::Ctx;
use hyper::http::Method;
use serde_json::{Value, json};

/// `GET /_emulator/health`, `GET /_emulator/stats`, `GET|PUT /_emulator/faults`,
/// `PATCH /_emulator/domains/{account}/{region}/{name}` with `{"repositoryCount": n, "assetSizeBytes": n}`,
/// `POST /_emulator/organization` with an organisation file's YAML (replaces the organisation),
/// `DELETE /_emulator/organization` (no organisation any more).
pub fn handle(ctx: &Ctx, method: &Method, path: &str, body: &[u8]) -> Reply {
    let segments: Vec<&str> = path
        .trim_start_matches("/_emulator/")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let result = match (method, segments.as_slice()) {
        (&Method::GET, ["health"]) => Ok(json!({"status": "ok"})),
        (&Method::GET, ["stats"]) => Ok(ctx.stats.to_json()),
        (&Method::GET, ["faults"]) => {
            serde_json::to_value(ctx.faults.get()).map_err(|e| ApiError::internal(e.to_string()))
        }
        (&Method::PUT, ["faults"]) => serde_json::from_slice::<Faults>(body)
            .map_err(|e| e.to_string())
            .and_then(|f| f.check().map(|()| f))
            .map_err(|e| ApiError::new(400, "ValidationException", format!("invalid faults: {e}")))
            .map(|f| {
                ctx.set_faults(f);
                json!({"status": "ok"})
            }),
        (&Method::PATCH, ["domains", account, region, name]) => {
            patch_domain(ctx, account, region, name, body)
        }
        (&Method::POST, ["organization"]) => std::str::from_utf8(body)
            .map_err(|e| e.to_string())
            .and_then(Organization::from_yaml)
            .map_err(|e| {
                ApiError::new(
                    400,
                    "ValidationException",
                    format!("invalid organization: {e}"),
                )
            })
            .map(|org| {
                let out = json!({
                    "status": "ok",
                    "id": org.id,
                    "rootId": org.root.id,
                    "accounts": org.accounts.len(),
                    "organizationalUnits": org.ous.len(),
                });
                ctx.organization.set(Some(org));
                out
            }),
        (&Method::DELETE, ["organization"]) => {
            ctx.organization.set(None);
            Ok(json!({"status": "ok"}))
        }
        _ => Err(ApiError::new(
            404,
            "NotFound",
            format!("no emulator endpoint {method} {path}"),
        )),
    };
    match result {
        Ok(v) => Reply::json(&v),
        Err(e) => Reply::error(Protocol::RestJson, &e, ""),
    }
}

/// Give a domain repositories or assets (the endpoint does not model repositories themselves).
fn patch_domain(
    ctx: &Ctx,
    account: &str,
    region: &str,
    name: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let patch: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::new(400, "ValidationException", format!("invalid JSON: {e}")))?;
    let number = |field: &str| -> Result<Option<u64>, ApiError> {
        match patch.get(field) {
            None => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                ApiError::new(
                    400,
                    "ValidationException",
                    format!("`{field}` must be a non-negative integer"),
                )
            }),
        }
    };
    let repository_count = number("repositoryCount")?;
    let asset_size_bytes = number("assetSizeBytes")?;
    ctx.store.write(|state| {
        let Some(domain) = state.domain(account, region, name) else {
            return Err(ApiError::not_found(
                "domain",
                name,
                format!("Domain {name} not found in {account}/{region}"),
            ));
        };
        let mut domain = crate::records::Domain::clone(domain);
        if let Some(n) = repository_count {
            domain.repository_count = u32::try_from(n).map_err(|_| {
                ApiError::new(400, "ValidationException", "repositoryCount is too large")
            })?;
        }
        if let Some(n) = asset_size_bytes {
            domain.asset_size_bytes = n;
        }
        Ok((json!({"status": "ok"}), vec![Record::PutDomain(domain)]))
    })
}
