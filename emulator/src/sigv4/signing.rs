//! The signing side of SigV4: credential scope, string to sign, signing key derivation (cached) and the signature check.

use super::Claim;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;

type HmacSha256 = Hmac<Sha256>;

pub(super) const ALGORITHM: &str = "AWS4-HMAC-SHA256";
pub(super) const TERMINATOR: &str = "aws4_request";

/// The key and scope a claim's signatures are computed with, derived once per request.
pub(super) struct Signer {
    key: [u8; 32],
    scope: String,
}

impl Signer {
    pub(super) fn new(claim: &Claim, secret_access_key: &str, keys: &SigningKeys) -> Self {
        Self {
            key: keys.get(secret_access_key, claim),
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

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    let mut mac = new_mac(&k_service);
    mac.update(TERMINATOR.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Signing keys already derived. A key depends only on the secret and the scope (date,
/// Region, service), and a run signs thousands of requests with a few secrets on one date:
/// looking a key up is a hash of four short strings instead of four HMACs.
#[derive(Default)]
pub struct SigningKeys {
    keys: Mutex<HashMap<u64, Derived>>,
}

/// Entries kept at most; past it the cache starts afresh (the next requests derive again).
const MAX_SIGNING_KEYS: usize = 4096;

struct Derived {
    secret: String,
    date: String,
    region: String,
    service: String,
    key: [u8; 32],
}

impl Derived {
    fn is_for(&self, secret: &str, claim: &Claim) -> bool {
        self.secret == secret
            && self.date == claim.date
            && self.region == claim.region
            && self.service == claim.service
    }
}

impl SigningKeys {
    fn get(&self, secret: &str, claim: &Claim) -> [u8; 32] {
        let mut hasher = DefaultHasher::new();
        (secret, &claim.date, &claim.region, &claim.service).hash(&mut hasher);
        let id = hasher.finish();
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        // The entry is compared in full: another secret or scope with the same hash is derived
        // afresh and takes the slot.
        if let Some(derived) = keys.get(&id).filter(|d| d.is_for(secret, claim)) {
            return derived.key;
        }
        // Derived under the lock: a microsecond, and the next caller with the same key finds it.
        let key = signing_key(secret, &claim.date, &claim.region, &claim.service);
        if keys.len() >= MAX_SIGNING_KEYS {
            keys.clear();
        }
        keys.insert(
            id,
            Derived {
                secret: secret.to_owned(),
                date: claim.date.clone(),
                region: claim.region.clone(),
                service: claim.service.clone(),
                key,
            },
        );
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(date: &str) -> Claim {
        Claim {
            access_key_id: "AKIDEXAMPLE".into(),
            date: date.into(),
            region: "us-east-1".into(),
            service: "codeartifact".into(),
            signed_headers: vec!["host".into()],
            signature: String::new(),
            amz_date: format!("{date}T000000Z"),
            session_token: None,
        }
    }

    #[test]
    fn cached_keys_are_the_derived_ones_for_that_secret_and_scope() {
        let keys = SigningKeys::default();
        let (a, b) = (claim("20261129"), claim("20261130"));
        let derive = |secret: &str, c: &Claim| signing_key(secret, &c.date, &c.region, &c.service);
        for _ in 0..2 {
            assert_eq!(keys.get("one", &a), derive("one", &a));
            assert_eq!(keys.get("two", &a), derive("two", &a));
            assert_eq!(keys.get("one", &b), derive("one", &b));
        }
        assert_ne!(keys.get("one", &a), keys.get("two", &a));
    }
}
