//! Organisation-scale manifests for load and validate: `accounts` declared in a map, every domain
//! listed explicitly (no templates), shared by the validate benchmark and the scale tests.

/// `accounts` accounts (ids from 300000000000, each reached by AssumeRole) with `per_account`
/// domains each, all in `us-east-1`.
pub fn manifest(accounts: usize, per_account: usize) -> String {
    // About 90 bytes per account and 50 per domain: sized up front, the text is built in one
    // allocation however large it is.
    let mut m = String::with_capacity(100 + accounts * (90 + per_account * 52));
    m.push_str("version: 1\ndefaults: { tags: { managed-by: provision } }\naccounts:\n");
    for a in 0..accounts {
        let id = 300_000_000_000_u64 + a as u64;
        m.push_str(&format!(
            "  a{a}: {{ id: \"{id}\", role_arn: \"arn:aws:iam::{id}:role/Provisioner\" }}\n"
        ));
    }
    m.push_str("domains:\n");
    for a in 0..accounts {
        for d in 0..per_account {
            m.push_str(&format!(
                "  - {{ name: d{d}, account: a{a}, region: us-east-1 }}\n"
            ));
        }
    }
    m
}
