//! Shared by the SDK tests: start an endpoint and build real AWS SDK clients pointed at it.
#![allow(dead_code)]

use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig};
use aws_sdk_codeartifact::config::Credentials;
use provision_emulator::{Config, Running};

pub async fn start(config: Config) -> Running {
    provision_emulator::start(config)
        .await
        .expect("endpoint starts")
}

/// An endpoint with no request-rate quotas, so tests are not throttled by accident.
pub fn unthrottled() -> Config {
    let mut c = Config::default();
    c.quotas.write_tps = 0;
    c.quotas.read_tps = 0;
    c
}

/// SDK configuration as a user would have it, with SDK retries off so that tests see every answer.
pub async fn sdk(url: &str, access_key: &str, secret: &str, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new(access_key, secret, None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .load()
        .await
}

pub async fn codeartifact(url: &str, account: &str, region: &str) -> aws_sdk_codeartifact::Client {
    aws_sdk_codeartifact::Client::new(&sdk(url, account, "test", region).await)
}

pub async fn kms(url: &str, account: &str, region: &str) -> aws_sdk_kms::Client {
    aws_sdk_kms::Client::new(&sdk(url, account, "test", region).await)
}

pub fn tag(key: &str, value: &str) -> aws_sdk_codeartifact::types::Tag {
    aws_sdk_codeartifact::types::Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("key and value set")
}

/// A raw HTTP/1.1 request to the unauthenticated admin API (no HTTP client dependency needed).
pub async fn admin(url: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}
