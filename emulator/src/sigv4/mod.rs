//! AWS Signature Version 4 verification, so the emulator can insist on signed requests exactly as
//! real (non-S3) AWS services do, and the unmodified AWS SDKs, boto3 and the aws CLI talk to it.
//!
//! Verification is split in two steps because the secret is not known up front:
//! [`parse_claim`] reads what the request claims (access key, scope, signed headers) so the server
//! can route by service and look the secret up, then [`verify`] recomputes the signature.
//!
//! Both the `Authorization` header form and presigned URLs (`X-Amz-*` query parameters) are
//! accepted. Nothing here panics on hostile input: every malformed request is an [`AuthError`].
//!
//! One file per step: `claim` reads the claim, `time` judges the clock, `path`, `query` and
//! `canonical` build the canonical request, `signing` derives the key and signs, `verify`
//! puts them together, and `error` says what was wrong.

mod canonical;
mod claim;
mod error;
mod path;
mod query;
mod signing;
mod time;
mod verify;

use hyper::http::HeaderMap;

pub use claim::{Claim, parse_claim};
pub use error::AuthError;
pub use signing::SigningKeys;
pub use time::{amz_date_to_unix, unix_to_amz_date};
pub use verify::verify;

/// The parts of an HTTP request that take part in the signature, exactly as received.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    pub method: &'a str,
    /// Path as received (percent-encoded), e.g. `/v1/domain`.
    pub raw_path: &'a str,
    /// Query as received, e.g. `domain=my-domain&domain-owner=111122223333`.
    pub raw_query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

#[cfg(test)]
mod tests;
