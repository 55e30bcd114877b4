//! An organisation-wide manifest generator, shared by the resilience tests and the apply benchmark.

/// The id of the `a`-th account of an organisation whose ids start at `first`.
pub fn account(first: u64, a: usize) -> String {
    format!("{:012}", first + a as u64)
}

/// `accounts` accounts from id `first` (each reached by AssumeRole), `per_region` domains in each
/// of two Regions.
pub fn manifest(first: u64, accounts: usize, per_region: usize) -> String {
    let mut m = String::from(
        "version: 1\ndefaults: { region: us-east-1, tags: { managed-by: provision } }\naccounts:\n",
    );
    for a in 0..accounts {
        let id = account(first, a);
        m.push_str(&format!(
            "  a{a}: {{ id: \"{id}\", role_arn: \"arn:aws:iam::{id}:role/Provisioner\" }}\n"
        ));
    }
    m.push_str("domains:\n");
    for a in 0..accounts {
        for region in ["us-east-1", "eu-west-1"] {
            for d in 0..per_region {
                m.push_str(&format!(
                    "  - {{ name: d{d}-{region}, account: a{a}, region: {region} }}\n"
                ));
            }
        }
    }
    m
}
