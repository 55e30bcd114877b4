//! An organisation-wide manifest generator and the endpoint's counts, shared by the resilience
//! tests and the benchmarks.

/// The id of the `a`-th account of an organisation whose ids start at `first`.
pub fn account(first: u64, a: usize) -> String {
    format!("{:012}", first + a as u64)
}

/// `accounts` accounts from id `first` (each reached by AssumeRole), `per_region` domains in each
/// of two Regions.
pub fn manifest(first: u64, accounts: usize, per_region: usize) -> String {
    manifest_in(first, accounts, per_region, &["us-east-1", "eu-west-1"])
}

/// `accounts` accounts from id `first` (each reached by AssumeRole), `per_region` domains in each
/// of `regions`.
pub fn manifest_in(first: u64, accounts: usize, per_region: usize, regions: &[&str]) -> String {
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
        for region in regions {
            for d in 0..per_region {
                m.push_str(&format!(
                    "  - {{ name: d{d}-{region}, account: a{a}, region: {region} }}\n"
                ));
            }
        }
    }
    m
}

/// `GET /_emulator/stats` of the endpoint at `url` (`null` when it cannot be read).
pub async fn stats(url: &str) -> serde_json::Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
        return serde_json::Value::Null;
    };
    let req = format!("GET /_emulator/stats HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).await.is_err() {
        return serde_json::Value::Null;
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out).await;
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    serde_json::from_str(body).unwrap_or_default()
}

/// The environment a benchmark runs the binary in: static credentials acting as the caller
/// account, no profile files, no instance metadata, no endpoint from the environment.
pub fn as_caller(cmd: &mut std::process::Command) -> &mut std::process::Command {
    cmd.env("AWS_ACCESS_KEY_ID", "123456789012")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
}
