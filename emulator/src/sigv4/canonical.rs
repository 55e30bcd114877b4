//! The canonical request: headers, payload hash, and every variant a real client may have signed.

use super::error::{AuthError, incomplete, quote};
use super::path::{canonical_uri, normalize_path_botocore, normalize_path_sdk};
use super::query::canonical_query;
use super::{Claim, RequestParts};
use hyper::http::HeaderMap;
use hyper::http::header::HeaderName;
use sha2::{Digest, Sha256};

pub(super) const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
pub(super) const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";

/// The canonical requests a correctly signed request may have been signed over.
///
/// Clients differ in a few corners of canonicalisation that never matter for the emulator's
/// own paths, but would make a correctly signed request fail here. Each variant is one a real
/// client produces; all still require the secret, so accepting any of them is safe. The first
/// candidate of each list is the AWS Rust SDK's, used in the Mismatch message.
pub(super) struct Candidates<'a> {
    method: &'a str,
    paths: Vec<String>,
    queries: Vec<String>,
    headers: String,
    signed_headers: String,
    payloads: Vec<String>,
}

impl<'a> Candidates<'a> {
    pub(super) fn new(
        parts: &RequestParts<'a>,
        claim: &Claim,
        presigned: bool,
    ) -> Result<Self, AuthError> {
        let headers = canonical_headers(parts.headers, &claim.signed_headers)?;
        let paths = dedup(vec![
            canonical_uri(&normalize_path_sdk(parts.raw_path)),
            canonical_uri(&normalize_path_botocore(parts.raw_path)),
            canonical_uri(parts.raw_path),
        ]);
        let raw_query = parts.raw_query.unwrap_or_default();
        let mut queries = vec![canonical_query(raw_query, true, presigned)];
        if raw_query.contains('+') {
            queries.push(canonical_query(raw_query, false, presigned));
        }
        Ok(Self {
            method: parts.method,
            paths,
            queries: dedup(queries),
            headers,
            signed_headers: claim.signed_headers.join(";"),
            payloads: payload_hashes(parts)?,
        })
    }

    /// Each canonical request, built only when asked for: the first usually matches.
    pub(super) fn iter(&self) -> impl Iterator<Item = String> + '_ {
        self.paths.iter().flat_map(move |path| {
            self.queries.iter().flat_map(move |query| {
                self.payloads.iter().map(move |payload| {
                    format!(
                        "{}\n{path}\n{query}\n{}\n{}\n{payload}",
                        self.method, self.headers, self.signed_headers
                    )
                })
            })
        })
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = Vec::with_capacity(v.len());
    v.retain(|s| {
        if seen.contains(s) {
            false
        } else {
            seen.push(s.clone());
            true
        }
    });
    v
}

/// `name:value\n` for each signed header: all occurrences joined by `,`, each trimmed with
/// runs of spaces collapsed (spaces only, as the AWS Rust SDK does). Bytes are kept as they
/// are; a non-UTF-8 value is rendered lossily, which simply fails the comparison.
fn canonical_headers(headers: &HeaderMap, signed: &[String]) -> Result<String, AuthError> {
    let mut out = String::new();
    for name in signed {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| incomplete(format!("SignedHeaders entry {} is invalid", quote(name))))?;
        let values: Vec<String> = headers
            .get_all(&header)
            .iter()
            .map(|v| trim_all(&String::from_utf8_lossy(v.as_bytes())))
            .collect();
        out.push_str(header.as_str());
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    Ok(out)
}

pub(super) fn trim_all(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, word) in value.split(' ').filter(|w| !w.is_empty()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Payload hashes to try. A declared `x-amz-content-sha256` that is a hash is replaced by the
/// body's real hash, so a body that does not match its declared hash fails. Without the header,
/// the body hash comes first, then `UNSIGNED-PAYLOAD`: the AWS Rust SDK signs bodies it cannot
/// hold in memory (file streams, presigned requests) that way without sending any header, as
/// real services accept. botocore presigned URLs use the body hash.
fn payload_hashes(parts: &RequestParts) -> Result<Vec<String>, AuthError> {
    let body_hash = hex::encode(Sha256::digest(parts.body));
    let declared = match parts.headers.get(X_AMZ_CONTENT_SHA256) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .map_err(|_| incomplete("the x-amz-content-sha256 header is not printable ASCII"))?
                .trim(),
        ),
    };
    Ok(match declared {
        Some(d) if d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()) => vec![body_hash],
        Some(d) => vec![d.to_owned()],
        None => vec![body_hash, UNSIGNED_PAYLOAD.to_owned()],
    })
}
