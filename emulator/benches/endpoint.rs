//! Endpoint throughput: CreateDomain and ListDomains requests/s over loopback, driven by the real AWS SDK client and by a lean pre-signed HTTP/1.1 load generator.
//!
//! `cargo bench -p provision-emulator --bench endpoint [-- --quick] [WORD…]` (or `BENCH_QUICK=1`);
//! WORDs keep only the rows whose label contains one of them (e.g. `1024`, `latency`).
//! Every request is SigV4-signed and verified by the endpoint. Each scenario runs against a
//! fresh endpoint, in memory or with a `--state` journal in a temporary directory, and is
//! bounded by a request count and a time cap. The endpoint runs on its own tokio runtime,
//! whose threads are named, so that its CPU time is read apart from the client's (as if it
//! were a separate process). Prints a markdown table.

use aws_config::{BehaviorVersion, Region, retry::RetryConfig};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use provision_emulator::{Config, Running};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};
use tokio::net::TcpStream;

const SECRET: &str = "test";
const REGION: &str = "us-west-2";
/// CreateDomain is spread over this many accounts (as a provisioning run would be).
const CREATE_ACCOUNTS: usize = 16;
/// The account whose domains ListDomains pages through.
const LIST_ACCOUNT: &str = "222233334444";
/// Domains listed, and the page size asked for.
const LIST_DOMAINS: usize = 1000;
const PAGE: usize = 100;
/// The organisation-scale shape: this many accounts with AWS's domain quota of 10 each.
const ORG_ACCOUNTS: usize = 1000;
const ORG_DOMAINS_PER_ACCOUNT: usize = 10;
/// The name of the endpoint runtime's threads, whose CPU time is the endpoint's.
const ENDPOINT_THREAD: &str = "endpoint";
/// `--latency 50..150`, as an organisation-scale run is measured with.
const LATENCY: provision_emulator::Latency = provision_emulator::Latency {
    min_ms: 50,
    max_ms: 150,
};

#[derive(Clone, Copy, PartialEq)]
enum Op {
    /// CreateDomain over 16 accounts, no quotas.
    Create,
    /// CreateDomain of 10 domains in each of 1 000 accounts, AWS's quotas on.
    CreateOrg,
    List,
}

#[derive(Clone, Copy, PartialEq)]
enum Driver {
    Sdk,
    Lean,
}

#[derive(Clone, Copy, PartialEq)]
enum Storage {
    Memory,
    Journal,
}

/// How much each scenario may send, and for how long.
#[derive(Clone, Copy)]
struct Bounds {
    requests: usize,
    cap: Duration,
}

/// One row of the table.
#[derive(Clone, Copy)]
struct Scenario {
    op: Op,
    storage: Storage,
    driver: Driver,
    concurrency: usize,
    /// `--latency 50..150` on the endpoint.
    latency: bool,
}

/// What one scenario measured.
struct Measured {
    done: usize,
    errors: usize,
    elapsed: Duration,
    latencies_us: Vec<u32>,
    peak_rps: u64,
    /// CPU time of the endpoint's threads while the load ran.
    endpoint_cpu: Duration,
    /// Connections the kernel dropped from a full listen queue while the load ran (for the
    /// whole network namespace); each costs its client a resent SYN a second later.
    listen_overflows: u64,
}

fn account(i: usize) -> String {
    format!("{:012}", 100_000_000_000 + i % CREATE_ACCOUNTS)
}

fn org_account(i: usize) -> String {
    format!("{:012}", 500_000_000_000 + i % ORG_ACCOUNTS)
}

/// The table's rows: the original 16 to compare with earlier runs, then many connections,
/// then `--latency 50..150` (where requests/s should be about concurrency ÷ 0.1 s), then the
/// organisation-scale shape.
fn scenarios() -> Vec<Scenario> {
    let mut out = Vec::new();
    let row = |op, storage, driver, concurrency, latency| Scenario {
        op,
        storage,
        driver,
        concurrency,
        latency,
    };
    for op in [Op::Create, Op::List] {
        for storage in [Storage::Memory, Storage::Journal] {
            for driver in [Driver::Sdk, Driver::Lean] {
                for concurrency in [16, 64] {
                    out.push(row(op, storage, driver, concurrency, false));
                }
            }
        }
    }
    for latency in [false, true] {
        for op in [Op::Create, Op::List] {
            for concurrency in [256, 1024] {
                out.push(row(op, Storage::Memory, Driver::Lean, concurrency, latency));
            }
        }
    }
    for latency in [false, true] {
        out.push(row(
            Op::CreateOrg,
            Storage::Memory,
            Driver::Lean,
            1024,
            latency,
        ));
    }
    out.push(row(Op::CreateOrg, Storage::Memory, Driver::Sdk, 256, true));
    out.push(row(Op::List, Storage::Memory, Driver::Sdk, 256, true));
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var("BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    // `cargo bench` passes `--bench`; other flags are not row filters either.
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let bounds = if quick {
        Bounds {
            requests: 2_000,
            cap: Duration::from_secs(2),
        }
    } else {
        Bounds {
            requests: 30_000,
            cap: Duration::from_secs(8),
        }
    };
    let client = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    // As many threads as `provision emulator` gets (one per CPU).
    let endpoint = tokio::runtime::Builder::new_multi_thread()
        .thread_name(ENDPOINT_THREAD)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let load_before = loadavg();
    let mut rows = Vec::new();
    client.block_on(async {
        for s in scenarios() {
            let label = label(s);
            if !words.is_empty() && !words.iter().any(|w| label.contains(w.as_str())) {
                continue;
            }
            let m = scenario(endpoint.handle(), s, bounds).await;
            let row = row(&label, &m);
            eprintln!("{row}");
            rows.push(row);
        }
    });
    println!();
    println!(
        "{} run: up to {} requests or {} s per scenario; {} CPUs; load average before {load_before}, after {}",
        if quick { "Quick" } else { "Full" },
        bounds.requests,
        bounds.cap.as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        loadavg()
    );
    println!();
    println!(
        "| operation | state | client | added latency | concurrency | requests | errors | seconds | requests/s | p50 ms | p99 ms | endpoint peak_rps | endpoint CPU µs/request | listen overflows |"
    );
    println!("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!("{r}");
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// The first five columns of a row; filters match against it.
fn label(s: Scenario) -> String {
    format!(
        "| {} | {} | {} | {} | {} |",
        match s.op {
            Op::Create => "CreateDomain",
            Op::CreateOrg => "CreateDomain (1000 accounts × 10, AWS quotas)",
            Op::List => "ListDomains (100 of 1000)",
        },
        match s.storage {
            Storage::Memory => "in-memory",
            Storage::Journal => "--state journal",
        },
        match s.driver {
            Driver::Sdk => "aws-sdk-codeartifact",
            Driver::Lean => "pre-signed hyper http1",
        },
        if s.latency {
            "latency 50..150 ms"
        } else {
            "none"
        },
        s.concurrency,
    )
}

fn row(label: &str, m: &Measured) -> String {
    let mut lat = m.latencies_us.clone();
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        f64::from(lat[i]) / 1000.0
    };
    let secs = m.elapsed.as_secs_f64();
    format!(
        "{label} {} | {} | {secs:.2} | {:.0} | {:.2} | {:.2} | {} | {:.0} | {} |",
        m.done,
        m.errors,
        m.done as f64 / secs,
        pct(0.50),
        pct(0.99),
        m.peak_rps,
        m.endpoint_cpu.as_secs_f64() * 1e6 / m.done.max(1) as f64,
        m.listen_overflows,
    )
}

/// `TcpExt: ListenOverflows` of `/proc/net/netstat` (0 where it cannot be read).
fn listen_overflows() -> u64 {
    let netstat = std::fs::read_to_string("/proc/net/netstat").unwrap_or_default();
    let mut lines = netstat.lines().filter(|l| l.starts_with("TcpExt:"));
    let (Some(names), Some(values)) = (lines.next(), lines.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(name, _)| *name == "ListenOverflows")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0)
}

/// CPU time of the endpoint runtime's threads so far (`/proc/self/task/*/schedstat`, in ns).
fn endpoint_cpu() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let mut nanos = 0;
    for task in tasks.flatten() {
        let path = task.path();
        let ours = std::fs::read_to_string(path.join("comm"))
            .is_ok_and(|comm| comm.trim_end() == ENDPOINT_THREAD);
        if !ours {
            continue;
        }
        nanos += std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0);
    }
    Duration::from_nanos(nanos)
}

/// One fresh endpoint (on the endpoint runtime), set up for the scenario, loaded by its driver.
async fn scenario(endpoint: &tokio::runtime::Handle, s: Scenario, bounds: Bounds) -> Measured {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut config = Config::default();
    if s.op != Op::CreateOrg {
        config.quotas.write_tps = 0;
        config.quotas.read_tps = 0;
        config.quotas.domain_quota = 0;
    }
    if s.storage == Storage::Journal {
        config.state = Some(dir.path().to_path_buf());
    }
    let running = endpoint
        .spawn(provision_emulator::start(config))
        .await
        .expect("endpoint task")
        .expect("endpoint starts");
    let tokens = if s.op == Op::List {
        populate(&running).await
    } else {
        Vec::new()
    };
    // Latency is set once the listed domains are in, so that populating stays quick.
    if s.latency {
        running.set_faults(provision_emulator::Faults {
            latency: Some(LATENCY),
            ..provision_emulator::Faults::default()
        });
    }
    let cpu = endpoint_cpu();
    let overflows = listen_overflows();
    let mut m = match s.driver {
        Driver::Sdk => run_sdk(&running, s.op, &tokens, s.concurrency, bounds).await,
        Driver::Lean => run_lean(&running, s.op, &tokens, s.concurrency, bounds).await,
    };
    m.endpoint_cpu = endpoint_cpu().saturating_sub(cpu);
    m.listen_overflows = listen_overflows().saturating_sub(overflows);
    m.peak_rps = peak_rps(running.addr(), s.op).await;
    running.shutdown().await;
    m
}

/// Create the listed domains (pre-signed, 16 connections), and return the page tokens.
async fn populate(running: &Running) -> Vec<Option<String>> {
    let addr = running.addr();
    let requests: Vec<_> = (0..LIST_DOMAINS)
        .map(|i| create_request(addr, LIST_ACCOUNT, &format!("domain-{i:04}")))
        .collect();
    let m = drive(addr, requests, 16, Duration::from_secs(60)).await;
    assert_eq!(
        (m.done, m.errors),
        (LIST_DOMAINS, 0),
        "populating ListDomains"
    );
    // The tokens are opaque: ask for them the way a paginating client would.
    let client = sdk_clients(&running.url(), &[LIST_ACCOUNT.to_string()]).await;
    let mut tokens = vec![None];
    loop {
        let page = client[0]
            .list_domains()
            .max_results(PAGE as i32)
            .set_next_token(tokens.last().cloned().flatten())
            .send()
            .await
            .expect("ListDomains");
        assert_eq!(page.domains().len(), PAGE);
        match page.next_token() {
            Some(t) => tokens.push(Some(t.to_string())),
            None => break,
        }
    }
    assert_eq!(tokens.len(), LIST_DOMAINS / PAGE);
    tokens
}

async fn sdk_clients(url: &str, accounts: &[String]) -> Vec<aws_sdk_codeartifact::Client> {
    // One SdkConfig for the per-account clients, as the engine has one per Region. It sets no
    // HTTP client, so each client builds its own connection pool, as the engine's do today
    // (with `.http_client(..)` set here, 1 000 accounts at 256 in flight open 257 connections
    // instead of about 1 000).
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            accounts[0].clone(),
            SECRET,
            None,
            None,
            "bench",
        ))
        .retry_config(RetryConfig::disabled())
        .load()
        .await;
    accounts
        .iter()
        .map(|a| {
            let config = aws_sdk_codeartifact::config::Builder::from(&shared)
                .credentials_provider(Credentials::new(a.clone(), SECRET, None, None, "bench"))
                .build();
            aws_sdk_codeartifact::Client::from_conf(config)
        })
        .collect()
}

/// `concurrency` tasks sharing SDK clients, each taking the next request number until done.
async fn run_sdk(
    running: &Running,
    op: Op,
    tokens: &[Option<String>],
    concurrency: usize,
    bounds: Bounds,
) -> Measured {
    let accounts: Vec<String> = match op {
        Op::Create => (0..CREATE_ACCOUNTS).map(account).collect(),
        Op::CreateOrg => (0..ORG_ACCOUNTS).map(org_account).collect(),
        Op::List => vec![LIST_ACCOUNT.to_string()],
    };
    let requests = requests(op, bounds);
    let clients = Arc::new(sdk_clients(&running.url(), &accounts).await);
    let tokens = Arc::new(tokens.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + bounds.cap;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (clients, tokens, next) = (clients.clone(), tokens.clone(), next.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests || Instant::now() >= deadline {
                    break;
                }
                let t = Instant::now();
                let ok = match op {
                    Op::Create => clients[i % clients.len()]
                        .create_domain()
                        .domain(format!("sdk-{i}"))
                        .send()
                        .await
                        .is_ok(),
                    Op::CreateOrg => clients[i % clients.len()]
                        .create_domain()
                        .domain(org_domain(i))
                        .send()
                        .await
                        .is_ok(),
                    Op::List => clients[0]
                        .list_domains()
                        .max_results(PAGE as i32)
                        .set_next_token(tokens[i % tokens.len()].clone())
                        .send()
                        .await
                        .is_ok_and(|page| page.domains().len() == PAGE),
                };
                latencies.push(micros(t.elapsed()));
                errors += usize::from(!ok);
            }
            (latencies, errors)
        });
    }
    collect(tasks, start).await
}

/// Pre-sign every request, then send them over `concurrency` keep-alive connections.
async fn run_lean(
    running: &Running,
    op: Op,
    tokens: &[Option<String>],
    concurrency: usize,
    bounds: Bounds,
) -> Measured {
    let addr = running.addr();
    let requests: Vec<_> = (0..requests(op, bounds))
        .map(|i| match op {
            Op::Create => create_request(addr, &account(i), &format!("lean-{i}")),
            Op::CreateOrg => create_request(addr, &org_account(i), &org_domain(i)),
            Op::List => list_request(addr, tokens[i % tokens.len()].as_deref()),
        })
        .collect();
    drive(addr, requests, concurrency, bounds.cap).await
}

/// How many requests a scenario sends: the organisation has only so many domains to create.
fn requests(op: Op, bounds: Bounds) -> usize {
    match op {
        Op::CreateOrg => bounds.requests.min(ORG_ACCOUNTS * ORG_DOMAINS_PER_ACCOUNT),
        Op::Create | Op::List => bounds.requests,
    }
}

/// Request `i` of the organisation shape creates this domain in `org_account(i)`.
fn org_domain(i: usize) -> String {
    format!("domain-{}", i / ORG_ACCOUNTS)
}

async fn drive(
    addr: SocketAddr,
    requests: Vec<Request<Full<Bytes>>>,
    concurrency: usize,
    cap: Duration,
) -> Measured {
    let mut per_connection: Vec<Vec<_>> = (0..concurrency).map(|_| Vec::new()).collect();
    for (i, r) in requests.into_iter().enumerate() {
        per_connection[i % concurrency].push(r);
    }
    let start = Instant::now();
    let deadline = start + cap;
    let mut tasks = tokio::task::JoinSet::new();
    for requests in per_connection {
        tasks.spawn(async move {
            let stream = TcpStream::connect(addr).await.expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let (mut sender, conn) = http1::handshake(TokioIo::new(stream))
                .await
                .expect("handshake");
            tokio::spawn(conn);
            let mut latencies = Vec::with_capacity(requests.len());
            let mut errors = 0;
            for request in requests {
                if Instant::now() >= deadline {
                    break;
                }
                let t = Instant::now();
                let ok = match sender.send_request(request).await {
                    Ok(response) => {
                        let status = response.status();
                        response.into_body().collect().await.is_ok() && status.is_success()
                    }
                    Err(_) => false,
                };
                latencies.push(micros(t.elapsed()));
                errors += usize::from(!ok);
                if !ok && sender.ready().await.is_err() {
                    break;
                }
            }
            (latencies, errors)
        });
    }
    collect(tasks, start).await
}

async fn collect(mut tasks: tokio::task::JoinSet<(Vec<u32>, usize)>, start: Instant) -> Measured {
    let mut latencies_us = Vec::new();
    let mut errors = 0;
    while let Some(done) = tasks.join_next().await {
        let (l, e) = done.expect("load task");
        latencies_us.extend(l);
        errors += e;
    }
    Measured {
        done: latencies_us.len(),
        errors,
        elapsed: start.elapsed(),
        latencies_us,
        peak_rps: 0,
        endpoint_cpu: Duration::ZERO,
        listen_overflows: 0,
    }
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

fn create_request(addr: SocketAddr, account: &str, name: &str) -> Request<Full<Bytes>> {
    signed(addr, account, &format!("/v1/domain?domain={name}"), "{}")
}

fn list_request(addr: SocketAddr, token: Option<&str>) -> Request<Full<Bytes>> {
    let body = match token {
        Some(t) => serde_json::json!({ "maxResults": PAGE, "nextToken": t }),
        None => serde_json::json!({ "maxResults": PAGE }),
    };
    signed(addr, LIST_ACCOUNT, "/v1/domains", &body.to_string())
}

/// A POST signed with `aws-sigv4` as the SDK signs it (header signature, signed content headers).
fn signed(addr: SocketAddr, account: &str, path: &str, body: &str) -> Request<Full<Bytes>> {
    let url = format!("http://{addr}{path}");
    let length = body.len().to_string();
    let headers = [
        ("content-type", "application/json"),
        ("content-length", length.as_str()),
    ];
    let identity = Credentials::new(account, SECRET, None, None, "bench").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("codeartifact")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing parameters")
        .into();
    let signable = SignableRequest::new(
        "POST",
        &url,
        headers.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable request");
    let (instructions, _) = sign(signable, &params).expect("signature").into_parts();
    // Origin-form URI on the wire; the host the signature covers goes in `host`.
    let mut builder = Request::builder()
        .method("POST")
        .uri(path)
        .header("host", addr.to_string());
    for (k, v) in headers {
        builder = builder.header(k, v);
    }
    let mut request = builder
        .body(Full::new(Bytes::from(body.to_owned())))
        .expect("request");
    instructions.apply_to_request_http1x(&mut request);
    request
}

/// The endpoint's own busiest second for `op`, summed over accounts (`GET /_emulator/stats`).
async fn peak_rps(addr: SocketAddr, op: Op) -> u64 {
    let name = match op {
        Op::Create | Op::CreateOrg => "CreateDomain",
        Op::List => "ListDomains",
    };
    let stream = TcpStream::connect(addr).await.expect("connect");
    let (mut sender, conn) = http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    let request = Request::get("/_emulator/stats")
        .header("host", addr.to_string())
        .body(Full::new(Bytes::new()))
        .expect("request");
    let response = sender.send_request(request).await.expect("stats");
    let body = response.into_body().collect().await.expect("stats body");
    let stats: serde_json::Value = serde_json::from_slice(&body.to_bytes()).expect("stats JSON");
    let mut per_second: BTreeMap<i64, u64> = BTreeMap::new();
    for account in stats["accounts"]
        .as_object()
        .into_iter()
        .flat_map(|a| a.values())
    {
        for second in account["seconds"].as_array().into_iter().flatten() {
            let n: u64 = second["operations"][name]
                .as_object()
                .map_or(0, |outcomes| {
                    outcomes.values().filter_map(|v| v.as_u64()).sum()
                });
            *per_second
                .entry(second["second"].as_i64().unwrap_or(0))
                .or_default() += n;
        }
    }
    per_second.values().copied().max().unwrap_or(0)
}
