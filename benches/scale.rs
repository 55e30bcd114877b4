//! Benchmark of organisation scale (issue 9): the release binary applies and then plans
//! 10 000 domains over 1 000 accounts (ten per account, one Region, each account reached by
//! AssumeRole) against the local endpoint with AWS's quotas on, without and with 50–150 ms of
//! added latency per request. Per run: wall time, the client's CPU and peak RSS (from
//! `/usr/bin/time`), the calls the endpoint counted, client CPU per call, and the busiest
//! second of any one account for writes and reads (which must stay under the configured rates).
//! Prints a Markdown table; `-- --quick` for 1 000 domains over 100 accounts. Exits 1 if a run
//! failed, met a throttle, or went above the per-target rates (what CI's smoke run checks).
//! Run with `cargo bench --bench scale`; `BENCH_FLAGS` adds flags to every run, `PROVISION_BIN`
//! measures another build.

#[path = "../tests/support/org.rs"]
#[allow(dead_code)] // shared with the tests, which use all of it
mod org;

use provision_emulator::{Config, Faults, Latency};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// What one run of the binary cost.
struct Run {
    seconds: f64,
    code: i32,
    cpu_seconds: f64,
    peak_rss_mb: f64,
}

/// The binary measured: this build's, or `PROVISION_BIN` (to measure another build against
/// the same endpoint).
fn binary() -> String {
    std::env::var("PROVISION_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_provision").to_string())
}

/// Run `provision ARGS` under `/usr/bin/time`, in `dir`, against `url`.
fn run(url: &str, dir: &Path, args: &[&str], extra: &[String]) -> Run {
    let started = Instant::now();
    let mut cmd = Command::new("/usr/bin/time");
    let status = org::as_caller(&mut cmd)
        .args(["-f", "%U %S %M", "-o", "time.txt"])
        .arg(binary())
        .args(args)
        .args(["--endpoint-url", url])
        .args(extra)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("/usr/bin/time and the release binary run");
    let seconds = started.elapsed().as_secs_f64();
    let time = std::fs::read_to_string(dir.join("time.txt")).unwrap_or_default();
    let fields: Vec<f64> = time
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let (user, sys, rss_kb) = match fields[..] {
        [u, s, m] => (u, s, m),
        _ => (0.0, 0.0, 0.0),
    };
    Run {
        seconds,
        code: status.code().unwrap_or(-1),
        cpu_seconds: user + sys,
        peak_rss_mb: rss_kb / 1024.0,
    }
}

/// The endpoint's counts: calls in all, throttles answered, and the busiest second of any one
/// account for writes and for reads.
struct Counted {
    calls: u64,
    throttled: u64,
    peak_writes: u64,
    peak_reads: u64,
}

const WRITES: [&str; 6] = [
    "CreateDomain",
    "TagResource",
    "UntagResource",
    "PutDomainPermissionsPolicy",
    "CreateKey",
    "CreateAlias",
];

async fn counted(url: &str) -> Counted {
    let stats = org::stats(url).await;
    let mut c = Counted {
        calls: 0,
        throttled: 0,
        peak_writes: 0,
        peak_reads: 0,
    };
    let Some(accounts) = stats["accounts"].as_object() else {
        return c;
    };
    for account in accounts.values() {
        for second in account["seconds"].as_array().into_iter().flatten() {
            let (mut writes, mut reads) = (0, 0);
            for (op, outcomes) in second["operations"].as_object().into_iter().flatten() {
                for (outcome, n) in outcomes.as_object().into_iter().flatten() {
                    let n = n.as_u64().unwrap_or(0);
                    c.calls += n;
                    if outcome.contains("Throttl") || outcome.contains("TooMany") {
                        c.throttled += n;
                    }
                    // AssumeRole is the caller's call (in the caller's account), not a
                    // target's: the targets' rates do not apply to it.
                    if op == "AssumeRole" {
                        continue;
                    }
                    if WRITES.contains(&op.as_str()) {
                        writes += n;
                    } else {
                        reads += n;
                    }
                }
            }
            c.peak_writes = c.peak_writes.max(writes);
            c.peak_reads = c.peak_reads.max(reads);
        }
    }
    c
}

/// The defaults of `--rate` and `--read-rate`: what each target is held to unless flags say
/// otherwise.
const RATES: (u64, u64) = (50, 200);

/// What must hold whatever the timings (the CI smoke relies on it): the run succeeded (a
/// converged plan exits 0 with `--detailed-exitcode`), no throttle was met without injected
/// faults, and no account's busiest second went above the per-target rates.
fn check(work: &str, r: &Run, c: &Counted, flags: &[String]) -> Vec<String> {
    let mut wrong = Vec::new();
    if r.code != 0 {
        wrong.push(format!("{work}: exit {}", r.code));
    }
    if c.throttled > 0 {
        wrong.push(format!("{work}: {} throttles met", c.throttled));
    }
    let rates_set = flags
        .iter()
        .any(|f| f.starts_with("--rate") || f.starts_with("--read-rate"));
    if !rates_set && (c.peak_writes > RATES.0 || c.peak_reads > RATES.1) {
        wrong.push(format!(
            "{work}: an account's busiest second had {} writes and {} reads (rates {} and {})",
            c.peak_writes, c.peak_reads, RATES.0, RATES.1
        ));
    }
    wrong
}

fn row(work: &str, domains: usize, accounts: usize, latency: &str, r: &Run, c: &Counted) {
    println!(
        "| {work} | {domains} | {accounts} | {latency} | {:.1}{} | {:.0} | {:.1} | {:.0} | {} | {:.0} | {} | {} / {} |",
        r.seconds,
        if r.code == 0 { "" } else { " (exit ≠ 0)" },
        domains as f64 / r.seconds,
        r.cpu_seconds,
        r.peak_rss_mb,
        c.calls,
        r.cpu_seconds * 1e6 / c.calls.max(1) as f64,
        c.throttled,
        c.peak_writes,
        c.peak_reads,
    );
}

#[tokio::main]
async fn main() {
    let quick =
        std::env::args().any(|a| a == "--quick") || std::env::var_os("BENCH_QUICK").is_some();
    // Extra flags for the binary, e.g. `BENCH_FLAGS="--concurrency 256"`.
    let extra: Vec<String> = std::env::var("BENCH_FLAGS")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let (accounts, per_account) = if quick { (100, 10) } else { (1000, 10) };
    let domains = accounts * per_account;
    let mut wrong = Vec::new();
    println!(
        "| work | domains | accounts | latency | wall s | domains/s | client CPU s | peak RSS MB | calls | CPU µs/call | throttled | peak writes / reads per s (one account) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for latency in [
        None,
        Some(Latency {
            min_ms: 50,
            max_ms: 150,
        }),
    ] {
        let label = latency.map_or("none".to_string(), |l| {
            format!("{}–{} ms", l.min_ms, l.max_ms)
        });
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("org.yaml"),
            org::manifest_in(300_000_000_000, accounts, per_account, &["us-east-1"]),
        )
        .expect("manifest");
        // AWS's quotas per account stay on: 100 writes/s, 800 reads/s, 10 domains per Region.
        let config = Config {
            faults: Faults {
                latency,
                ..Faults::default()
            },
            ..Config::default()
        };
        let endpoint = provision_emulator::start(config).await.expect("endpoint");
        let url = endpoint.url();
        let apply = tokio::task::block_in_place(|| {
            run(
                &url,
                dir.path(),
                &["apply", "org.yaml", "--auto-approve"],
                &extra,
            )
        });
        let after_apply = counted(&url).await;
        row("apply", domains, accounts, &label, &apply, &after_apply);
        wrong.extend(check("apply", &apply, &after_apply, &extra));
        let plan = tokio::task::block_in_place(|| {
            run(
                &url,
                dir.path(),
                &["plan", "org.yaml", "--detailed-exitcode"],
                &extra,
            )
        });
        let mut after_plan = counted(&url).await;
        after_plan.calls -= after_apply.calls;
        row(
            "plan (converged)",
            domains,
            accounts,
            &label,
            &plan,
            &after_plan,
        );
        wrong.extend(check("plan", &plan, &after_plan, &extra));
        endpoint.shutdown().await;
    }
    if !wrong.is_empty() {
        eprintln!("scale: {}", wrong.join("; "));
        std::process::exit(1);
    }
}
