//! Reading what a request claims (access key, scope, signed headers, signature) from the `Authorization` header or a presigned query, before the secret is known.

use super::RequestParts;
use super::error::{AuthError, incomplete, quote};
use super::query::{is_presigned_query, query_param};
use super::signing::{ALGORITHM, TERMINATOR};
use super::time::presigned_expires;
use hyper::http::HeaderMap;
use hyper::http::header::{AUTHORIZATION, HeaderName};

pub(super) const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";

/// What the Authorization header (or presigned query) claims, parsed before the secret is known,
/// so the server can route by service and look up the secret for the access key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub access_key_id: String,
    /// Scope date, `YYYYMMDD`.
    pub date: String,
    pub region: String,
    /// e.g. `codeartifact`, `sts`, `kms`.
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
    /// The `x-amz-date` header (or `X-Amz-Date` query parameter when presigned).
    pub amz_date: String,
    /// `x-amz-security-token` header (or `X-Amz-Security-Token` query parameter when presigned).
    pub session_token: Option<String>,
}

/// Reads the signature claim of a request without checking it.
pub fn parse_claim(parts: &RequestParts) -> Result<Claim, AuthError> {
    let mut authorizations = parts.headers.get_all(AUTHORIZATION).iter();
    let authorization = authorizations.next();
    let presigned = is_presigned_query(parts.raw_query);
    match (authorization, presigned) {
        (None, false) => Err(AuthError::Missing),
        (Some(_), true) => Err(incomplete(
            "only one auth mechanism allowed: both an Authorization header and X-Amz-* query parameters were sent",
        )),
        (Some(value), false) => {
            if authorizations.next().is_some() {
                return Err(incomplete("more than one Authorization header"));
            }
            let value = value
                .to_str()
                .map_err(|_| incomplete("Authorization header is not printable ASCII"))?;
            parse_header_claim(value, parts.headers)
        }
        (None, true) => parse_presigned_claim(parts.raw_query.unwrap_or_default()),
    }
}

fn parse_header_claim(value: &str, headers: &HeaderMap) -> Result<Claim, AuthError> {
    let value = value.trim();
    let (algorithm, rest) = value.split_once(' ').unwrap_or((value, ""));
    if algorithm != ALGORITHM {
        return Err(incomplete(format!(
            "unsupported authorization algorithm {}: only {ALGORITHM} is supported",
            quote(algorithm)
        )));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for component in rest.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let (key, val) = component.split_once('=').ok_or_else(|| {
            incomplete(format!(
                "Authorization component {} is not key=value",
                quote(component)
            ))
        })?;
        let slot = match key.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            other => {
                return Err(incomplete(format!(
                    "unknown Authorization component {}",
                    quote(other)
                )));
            }
        };
        if slot.replace(val.trim()).is_some() {
            return Err(incomplete(format!(
                "Authorization component {key} appears more than once"
            )));
        }
    }
    let credential =
        credential.ok_or_else(|| incomplete("Authorization header is missing Credential="))?;
    let signed_headers = signed_headers
        .ok_or_else(|| incomplete("Authorization header is missing SignedHeaders="))?;
    let signature =
        signature.ok_or_else(|| incomplete("Authorization header is missing Signature="))?;

    let amz_date = match headers.get(X_AMZ_DATE) {
        None => return Err(incomplete("the x-amz-date header is missing")),
        Some(v) => v
            .to_str()
            .map_err(|_| incomplete("the x-amz-date header is not printable ASCII"))?
            .trim()
            .to_owned(),
    };
    let session_token = match headers.get(X_AMZ_SECURITY_TOKEN) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .map_err(|_| incomplete("the x-amz-security-token header is not printable ASCII"))?
                .trim()
                .to_owned(),
        ),
    };
    build_claim(
        credential,
        signed_headers,
        signature,
        amz_date,
        session_token,
    )
}

fn parse_presigned_claim(raw_query: &str) -> Result<Claim, AuthError> {
    let algorithm = query_param(raw_query, "X-Amz-Algorithm")?
        .ok_or_else(|| incomplete("presigned URL is missing X-Amz-Algorithm"))?;
    if algorithm != ALGORITHM {
        return Err(incomplete(format!(
            "unsupported X-Amz-Algorithm {}: only {ALGORITHM} is supported",
            quote(&algorithm)
        )));
    }
    let required = |name: &str| -> Result<String, AuthError> {
        query_param(raw_query, name)?
            .ok_or_else(|| incomplete(format!("presigned URL is missing {name}")))
    };
    let credential = required("X-Amz-Credential")?;
    let signed_headers = required("X-Amz-SignedHeaders")?;
    let signature = required("X-Amz-Signature")?;
    let amz_date = required("X-Amz-Date")?;
    // Checked here too so a malformed URL is reported before the secret is looked up.
    presigned_expires(raw_query)?;
    let session_token = query_param(raw_query, "X-Amz-Security-Token")?;
    build_claim(
        &credential,
        &signed_headers,
        &signature,
        amz_date,
        session_token,
    )
}

fn build_claim(
    credential: &str,
    signed_headers: &str,
    signature: &str,
    amz_date: String,
    session_token: Option<String>,
) -> Result<Claim, AuthError> {
    let fields: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = fields[..] else {
        return Err(incomplete(format!(
            "Credential {} must be ACCESS_KEY/YYYYMMDD/REGION/SERVICE/{TERMINATOR}",
            quote(credential)
        )));
    };
    if [access_key_id, date, region, service]
        .iter()
        .any(|f| f.is_empty())
    {
        return Err(incomplete(format!(
            "Credential {} has an empty field",
            quote(credential)
        )));
    }
    if terminator != TERMINATOR {
        return Err(AuthError::ScopeMismatch(format!(
            "credential scope must end with {TERMINATOR}, not {}",
            quote(terminator)
        )));
    }
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(incomplete(format!(
            "credential scope date {} is not YYYYMMDD",
            quote(date)
        )));
    }
    let signed_headers: Vec<String> = signed_headers.split(';').map(str::to_owned).collect();
    if signed_headers
        .iter()
        .any(|h| h.is_empty() || HeaderName::from_bytes(h.as_bytes()).is_err())
    {
        return Err(incomplete(
            "SignedHeaders must be header names separated by ';'",
        ));
    }
    if !signed_headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("host"))
    {
        return Err(incomplete("the host header must be signed"));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(incomplete("Signature must be 64 hexadecimal digits"));
    }
    Ok(Claim {
        access_key_id: access_key_id.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        signed_headers,
        signature: signature.to_owned(),
        amz_date,
        session_token,
    })
}
