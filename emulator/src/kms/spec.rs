//! KMS key specs: which key usages each allows and which algorithms its KeyMetadata lists.

use serde_json::{Map, Value, json};

/// `KeySpec` enum of the KMS model.
pub const KEY_SPECS: &[&str] = &[
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "SYMMETRIC_DEFAULT",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "SM2",
    "ML_DSA_44",
    "ML_DSA_65",
    "ML_DSA_87",
    "ECC_NIST_EDWARDS25519",
    "ML_KEM_512",
    "ML_KEM_768",
    "ML_KEM_1024",
];

/// The deprecated `CustomerMasterKeySpec` enum: the older subset of `KeySpec`, which lists
/// those thirteen specs first.
pub const CUSTOMER_MASTER_KEY_SPECS: &[&str] = KEY_SPECS.split_at(13).0;
/// `KeyUsageType` enum of the KMS model.
pub const KEY_USAGES: &[&str] = &[
    "SIGN_VERIFY",
    "ENCRYPT_DECRYPT",
    "GENERATE_VERIFY_MAC",
    "KEY_AGREEMENT",
    "ENCAPSULATE_DECAPSULATE",
];

/// `OriginType` enum of the KMS model.
pub const ORIGINS: &[&str] = &["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];

/// The key usages KMS accepts for a key spec (from the KMS developer guide's key spec reference).
pub fn usages(spec: &str) -> &'static [&'static str] {
    match spec {
        "SYMMETRIC_DEFAULT" => &["ENCRYPT_DECRYPT"],
        s if s.starts_with("RSA_") => &["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
        "ECC_NIST_P256" | "ECC_NIST_P384" | "ECC_NIST_P521" => &["SIGN_VERIFY", "KEY_AGREEMENT"],
        "ECC_SECG_P256K1" | "ECC_NIST_EDWARDS25519" => &["SIGN_VERIFY"],
        s if s.starts_with("ML_DSA_") => &["SIGN_VERIFY"],
        s if s.starts_with("HMAC_") => &["GENERATE_VERIFY_MAC"],
        "SM2" => &["ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT"],
        s if s.starts_with("ML_KEM_") => &["ENCAPSULATE_DECAPSULATE"],
        _ => &[],
    }
}

/// The algorithm lists KeyMetadata carries for a key of `spec` used for `usage`
/// (only the list that applies to the usage appears, as in real responses).
pub fn algorithms(spec: &str, usage: &str, metadata: &mut Map<String, Value>) {
    let (field, list): (&str, &[&str]) = match usage {
        "ENCRYPT_DECRYPT" => (
            "EncryptionAlgorithms",
            match spec {
                "SYMMETRIC_DEFAULT" => &["SYMMETRIC_DEFAULT"],
                "SM2" => &["SM2PKE"],
                _ => &["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"],
            },
        ),
        "SIGN_VERIFY" => (
            "SigningAlgorithms",
            match spec {
                "ECC_NIST_P256" | "ECC_SECG_P256K1" => &["ECDSA_SHA_256"],
                "ECC_NIST_P384" => &["ECDSA_SHA_384"],
                "ECC_NIST_P521" => &["ECDSA_SHA_512"],
                "ECC_NIST_EDWARDS25519" => &["ED25519_SHA_512", "ED25519_PH_SHA_512"],
                "SM2" => &["SM2DSA"],
                s if s.starts_with("ML_DSA_") => &["ML_DSA_SHAKE_256"],
                _ => &[
                    "RSASSA_PKCS1_V1_5_SHA_256",
                    "RSASSA_PKCS1_V1_5_SHA_384",
                    "RSASSA_PKCS1_V1_5_SHA_512",
                    "RSASSA_PSS_SHA_256",
                    "RSASSA_PSS_SHA_384",
                    "RSASSA_PSS_SHA_512",
                ],
            },
        ),
        "GENERATE_VERIFY_MAC" => (
            "MacAlgorithms",
            match spec {
                "HMAC_224" => &["HMAC_SHA_224"],
                "HMAC_384" => &["HMAC_SHA_384"],
                "HMAC_512" => &["HMAC_SHA_512"],
                _ => &["HMAC_SHA_256"],
            },
        ),
        "KEY_AGREEMENT" => ("KeyAgreementAlgorithms", &["ECDH"]),
        "ENCAPSULATE_DECAPSULATE" => ("EncapsulationAlgorithms", &["ML_KEM"]),
        _ => return,
    };
    metadata.insert(field.into(), json!(list));
}

#[cfg(test)]
mod tests {
    #[test]
    fn customer_master_key_specs_are_the_older_thirteen() {
        assert_eq!(super::CUSTOMER_MASTER_KEY_SPECS.len(), 13);
        assert_eq!(super::CUSTOMER_MASTER_KEY_SPECS.last(), Some(&"SM2"));
        assert!(super::CUSTOMER_MASTER_KEY_SPECS.contains(&"SYMMETRIC_DEFAULT"));
        assert!(!super::CUSTOMER_MASTER_KEY_SPECS.contains(&"ML_DSA_44"));
    }

    use super::*;

    #[test]
    fn every_spec_has_a_usage_from_the_model() {
        for spec in KEY_SPECS {
            let allowed = usages(spec);
            assert!(!allowed.is_empty(), "{spec}");
            for usage in allowed {
                assert!(KEY_USAGES.contains(usage), "{spec} {usage}");
                let mut m = Map::new();
                algorithms(spec, usage, &mut m);
                assert_eq!(m.len(), 1, "{spec} {usage}");
            }
        }
        assert!(
            CUSTOMER_MASTER_KEY_SPECS
                .iter()
                .all(|s| KEY_SPECS.contains(s))
        );
    }
}
