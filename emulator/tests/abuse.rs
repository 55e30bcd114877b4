//! The endpoint under abuse on loopback: idle and half-sent connections and requests with
//! made-up access keys must not exhaust it, while a well-behaved SDK client keeps being served.
//!
//! Bounded: 400 connections and 2 000 requests, timeouts of one second, done in well under
//! 30 s. The test process hosts the endpoint, so its RSS is the endpoint's memory.

mod common;

use aws_config::retry::RetryConfig;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use provision_emulator::Limits;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ACCOUNT: &str = "111122223333";
/// How long one call of the well-behaved client may take, however busy the endpoint is.
const CALL_DEADLINE: Duration = Duration::from_secs(15);

fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// A ListDomains request signed with a made-up key, so it fails at the signature check.
fn forged(addr: SocketAddr, key: &str) -> Request<Empty<Bytes>> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let date = provision_emulator::sigv4::unix_to_amz_date(now as i64);
    let scope = format!("{key}/{}/us-east-1/codeartifact/aws4_request", &date[..8]);
    Request::post("/v1/domains")
        .header("host", addr.to_string())
        .header("x-amz-date", date)
        .header(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host;x-amz-date, Signature={}",
                "0".repeat(64)
            ),
        )
        .body(Empty::new())
        .unwrap()
}

/// Send `requests` over one keep-alive connection; the status and body of each.
async fn send_all(addr: SocketAddr, requests: Vec<Request<Empty<Bytes>>>) -> Vec<(u16, Bytes)> {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = http1::handshake(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(conn);
    let mut out = Vec::new();
    for request in requests {
        sender.ready().await.unwrap();
        let response = sender.send_request(request).await.unwrap();
        let status = response.status().as_u16();
        out.push((
            status,
            response.into_body().collect().await.unwrap().to_bytes(),
        ));
    }
    out
}

/// Read until the endpoint closes the connection; what it sent before, or None if it did not
/// close within `within`.
async fn closed_by_endpoint(mut stream: TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut seen = Vec::new();
    tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .ok()?;
    Some(seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_half_sent_and_unsigned_clients_cannot_exhaust_the_endpoint() {
    let started = Instant::now();
    let mut config = common::unthrottled();
    config.limits = Limits {
        // Below the 400 abusive connections, so the cap is reached and must not lock out the client.
        max_connections: 128,
        idle_timeout: Duration::from_secs(1),
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let ep = common::start(config).await;
    let addr = ep.addr();
    // A user's client: the SDK's standard retries on, as a user would have them.
    let client = |url: String| async move {
        let sdk = common::sdk(&url, ACCOUNT, "test", "us-east-1").await;
        let conf = aws_sdk_codeartifact::config::Builder::from(&sdk)
            .retry_config(RetryConfig::standard())
            .build();
        aws_sdk_codeartifact::Client::from_conf(conf)
    };
    let steady = client(ep.url()).await;
    steady
        .create_domain()
        .domain("steady")
        .send()
        .await
        .unwrap();
    steady.list_domains().send().await.unwrap();
    let baseline = rss_bytes();

    // The well-behaved client: a long-lived one and a fresh one (a new connection, queued
    // behind the abusive ones when the cap is reached) call throughout.
    let done = Arc::new(AtomicBool::new(false));
    let good = tokio::spawn({
        let done = done.clone();
        let url = ep.url();
        async move {
            let (mut calls, mut slowest) = (0, Duration::ZERO);
            while !done.load(Ordering::Relaxed) {
                let fresh = client(url.clone()).await;
                for c in [&steady, &fresh] {
                    let t = Instant::now();
                    let listed = tokio::time::timeout(CALL_DEADLINE, c.list_domains().send())
                        .await
                        .expect("a call of the well-behaved client is answered in time")
                        .expect("a call of the well-behaved client succeeds");
                    assert_eq!(listed.domains().len(), 1);
                    slowest = slowest.max(t.elapsed());
                    calls += 1;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            (calls, slowest)
        }
    });

    // 250 connections that send nothing, 50 that stop inside their headers, and 100 that stop
    // after 64 KiB of a 256 KiB body.
    let mut abusive = Vec::new();
    for i in 0..400 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        if (250..300).contains(&i) {
            s.write_all(b"POST /v1/domains HTTP/1.1\r\nhost: x\r\n")
                .await
                .unwrap();
        } else if i >= 300 {
            s.write_all(b"POST /v1/domains HTTP/1.1\r\nhost: x\r\ncontent-length: 262144\r\n\r\n")
                .await
                .unwrap();
            s.write_all(&[b'{'; 64 << 10]).await.unwrap();
        }
        abusive.push(s);
    }

    // 2 000 requests with distinct made-up access keys (12 digits, so each names an account).
    let forgers: Vec<_> = (0..8)
        .map(|c| {
            let requests = (0..250)
                .map(|i| forged(addr, &format!("{:012}", 300_000_000_000u64 + c * 250 + i)))
                .collect();
            tokio::spawn(send_all(addr, requests))
        })
        .collect();
    for forger in forgers {
        for (status, body) in forger.await.unwrap() {
            assert_eq!(status, 403, "{body:?}");
        }
    }

    // Every abusive connection is closed by the endpoint; the stalled bodies are answered 408.
    let closings = abusive
        .into_iter()
        .map(|s| tokio::spawn(closed_by_endpoint(s, Duration::from_secs(20))));
    let mut answered_408 = 0;
    for (i, closing) in closings.enumerate() {
        let seen = closing
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("abusive connection {i} is still open"));
        if seen.starts_with(b"HTTP/1.1 408") {
            answered_408 += 1;
        }
    }
    assert_eq!(answered_408, 100, "every stalled body timed out");

    done.store(true, Ordering::Relaxed);
    let (calls, slowest) = good.await.unwrap();
    assert!(
        calls >= 2,
        "the well-behaved client was served: {calls} calls"
    );

    // Refusals are one counter; the made-up accounts left no trace.
    let stats = send_all(
        addr,
        vec![Request::get("/_emulator/stats").body(Empty::new()).unwrap()],
    )
    .await
    .remove(0)
    .1;
    let json: serde_json::Value = serde_json::from_slice(&stats).unwrap();
    assert_eq!(
        json["accounts"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        [ACCOUNT]
    );
    assert_eq!(
        json["unauthenticated"]["InvalidSignatureException"], 2000,
        "{json}"
    );
    assert!(stats.len() < 16 << 10, "{} bytes of stats", stats.len());

    let after = rss_bytes();
    eprintln!(
        "abuse: {calls} good calls, slowest {slowest:?}; RSS {} MiB before, {} MiB after; stats {} bytes; {:?} in all",
        baseline >> 20,
        after >> 20,
        stats.len(),
        started.elapsed()
    );
    assert!(
        after < baseline + (64 << 20),
        "RSS grew from {baseline} to {after} bytes"
    );
    ep.shutdown().await;
}
