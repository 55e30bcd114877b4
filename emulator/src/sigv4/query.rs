//! The raw query string: reading presigned parameters from it, and its canonical form.

use super::error::{AuthError, incomplete};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, percent_encode};

/// RFC 3986 strict encoding: everything but the unreserved characters is `%XX` (uppercase).
pub(super) const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Splits a raw query into undecoded `(key, value)` pairs; empty pieces are skipped, like
/// `form_urlencoded` (which the AWS Rust SDK signer uses) does.
fn raw_pairs(raw_query: &str) -> impl Iterator<Item = (&str, &str)> {
    raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

fn decode(s: &str, plus_as_space: bool) -> Vec<u8> {
    if plus_as_space && s.contains('+') {
        percent_decode(s.replace('+', " ").as_bytes()).collect()
    } else {
        percent_decode(s.as_bytes()).collect()
    }
}

/// Whether the query carries a presigned URL's signature parameters.
pub(super) fn is_presigned_query(raw_query: Option<&str>) -> bool {
    raw_query.is_some_and(|q| {
        raw_pairs(q).any(|(k, _)| {
            let k = decode(k, false);
            k == b"X-Amz-Signature" || k == b"X-Amz-Algorithm" || k == b"X-Amz-Credential"
        })
    })
}

/// The decoded value of query parameter `name`; more than one occurrence is an error.
pub(super) fn query_param(raw_query: &str, name: &str) -> Result<Option<String>, AuthError> {
    let mut found = None;
    for (k, v) in raw_pairs(raw_query) {
        if decode(k, false) != name.as_bytes() {
            continue;
        }
        // '+' is left alone: the SDKs always percent-encode, and a literal '+' in a
        // session token is far more likely than a space.
        let value = String::from_utf8(decode(v, false))
            .map_err(|_| incomplete(format!("query parameter {name} is not UTF-8")))?;
        if found.replace(value).is_some() {
            return Err(incomplete(format!(
                "query parameter {name} appears more than once"
            )));
        }
    }
    Ok(found)
}

/// Canonical query: pairs percent-decoded, re-encoded strictly (RFC 3986), sorted by encoded
/// key then value. `plus_as_space` follows the AWS Rust SDK, whose signer decodes the query
/// with `form_urlencoded` (so a literal `+` signs as `%20`); botocore and the CLI always send
/// spaces as `%20` and `+` as `%2B`, so for them both readings agree, and the caller tries the
/// literal-`+` reading as a fallback for other clients.
pub(super) fn canonical_query(raw_query: &str, plus_as_space: bool, presigned: bool) -> String {
    let mut pairs: Vec<(String, String)> = raw_pairs(raw_query)
        .map(|(k, v)| {
            (
                percent_encode(&decode(k, plus_as_space), STRICT).to_string(),
                percent_encode(&decode(v, plus_as_space), STRICT).to_string(),
            )
        })
        .filter(|(k, _)| !(presigned && k == "X-Amz-Signature"))
        .collect();
    pairs.sort();
    let mut out = String::with_capacity(raw_query.len() + 16);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}
