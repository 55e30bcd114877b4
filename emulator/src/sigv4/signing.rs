//! The signing side of SigV4: credential scope, string to sign, signing key derivation and the signature check.

use super::Claim;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

pub(super) const ALGORITHM: &str = "AWS4-HMAC-SHA256";
pub(super) const TERMINATOR: &str = "aws4_request";

/// The key and scope a claim's signatures are computed with, derived once per request.
pub(super) struct Signer {
    key: Vec<u8>,
    scope: String,
}

impl Signer {
    pub(super) fn new(claim: &Claim, secret_access_key: &str) -> Self {
        Self {
            key: signing_key(
                secret_access_key,
                &claim.date,
                &claim.region,
                &claim.service,
            ),
            scope: format!(
                "{}/{}/{}/{TERMINATOR}",
                claim.date, claim.region, claim.service
            ),
        }
    }

    pub(super) fn string_to_sign(&self, amz_date: &str, canonical_request: &str) -> String {
        format!(
            "{ALGORITHM}\n{amz_date}\n{}\n{}",
            self.scope,
            hex::encode(Sha256::digest(canonical_request.as_bytes()))
        )
    }

    /// Whether `provided` is the signature of `string_to_sign`.
    pub(super) fn signs(&self, string_to_sign: &str, provided: &[u8]) -> bool {
        let mut mac = new_mac(&self.key);
        mac.update(string_to_sign.as_bytes());
        // Constant-time comparison, so timing does not leak the expected signature.
        mac.verify_slice(provided).is_ok()
    }
}

fn new_mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = new_mac(key);
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    hmac(&k_service, TERMINATOR)
}
