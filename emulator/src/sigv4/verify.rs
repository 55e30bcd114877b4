//! Checking a claim once its secret is known: time, claim sanity, then the signature over each canonical candidate.

use super::canonical::Candidates;
use super::error::{AuthError, incomplete};
use super::query::is_presigned_query;
use super::signing::{Signer, SigningKeys};
use super::time::check_time;
use super::{Claim, RequestParts};
use hyper::http::header::AUTHORIZATION;

/// Recomputes the signature of `parts` with `secret_access_key` and checks it against `claim`,
/// the scope date and the clock (`now_unix`, seconds since the epoch). The signing key is
/// taken from `keys`, or derived and kept there.
pub fn verify(
    parts: &RequestParts,
    claim: &Claim,
    secret_access_key: &str,
    now_unix: i64,
    keys: &SigningKeys,
) -> Result<(), AuthError> {
    let presigned =
        parts.headers.get(AUTHORIZATION).is_none() && is_presigned_query(parts.raw_query);
    check_time(parts, claim, presigned, now_unix)?;

    if claim.signed_headers.is_empty() {
        return Err(incomplete("SignedHeaders is empty"));
    }
    if !claim
        .signed_headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("host"))
    {
        return Err(incomplete("the host header must be signed"));
    }
    let provided = hex::decode(&claim.signature)
        .ok()
        .filter(|s| s.len() == 32)
        .ok_or_else(|| incomplete("Signature must be 64 hexadecimal digits"))?;

    let candidates = Candidates::new(parts, claim, presigned)?;
    let signer = Signer::new(claim, secret_access_key, keys);
    let mut first_mismatch = None;
    for canonical_request in candidates.iter() {
        let string_to_sign = signer.string_to_sign(&claim.amz_date, &canonical_request);
        if signer.signs(&string_to_sign, &provided) {
            return Ok(());
        }
        first_mismatch.get_or_insert((canonical_request, string_to_sign));
    }
    let (canonical_request, string_to_sign) = first_mismatch.unwrap_or_default();
    Err(AuthError::Mismatch {
        canonical_request,
        string_to_sign,
    })
}
