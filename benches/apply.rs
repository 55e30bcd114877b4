//! Benchmark of the engine: wall time of `provision apply` (release binary) for an organisation-wide
//! manifest against the local endpoint, with and without injected faults, and of the re-run that
//! only observes. Prints a Markdown table; `-- --quick` for a short run. Run with
//! `cargo bench --bench apply`.

#[path = "../tests/support/org.rs"]
mod org;

use provision_emulator::{Config, Faults, Fraction};
use std::process::Command;
use std::time::Instant;

struct Scenario {
    name: &'static str,
    accounts: usize,
    per_region: usize,
    concurrency: u32,
    faults: Faults,
}

fn faults() -> Faults {
    Faults {
        throttle_rate: Fraction(0.20),
        error_rate: Fraction(0.05),
        drop_rate: Fraction(0.01),
        drop_after_write: Fraction(0.5),
        retry_after: 1,
        seed: Some(2026),
        ..Faults::default()
    }
}

/// Run the binary; returns (seconds, exit code, report JSON).
fn apply(url: &str, dir: &std::path::Path, concurrency: u32) -> (f64, i32, serde_json::Value) {
    let started = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_provision"));
    let status = org::as_caller(&mut cmd)
        .args([
            "apply",
            "org.yaml",
            "--auto-approve",
            "--report",
            "r.json",
            "--endpoint-url",
            url,
        ])
        .args(["--concurrency", &concurrency.to_string()])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("the release binary runs");
    let seconds = started.elapsed().as_secs_f64();
    let report = std::fs::read_to_string(dir.join("r.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null);
    (seconds, status.code().unwrap_or(-1), report)
}

/// The busiest second of any one account, from the endpoint's own counts.
async fn peak_rps(url: &str) -> u64 {
    org::stats(url).await["accounts"]
        .as_object()
        .map(|a| {
            a.values()
                .filter_map(|v| v["peak_rps"].as_u64())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let quick =
        std::env::args().any(|a| a == "--quick") || std::env::var_os("BENCH_QUICK").is_some();
    let (accounts, per_region) = if quick { (20, 5) } else { (200, 5) };
    let scenarios = [
        Scenario {
            name: "no faults",
            accounts,
            per_region,
            concurrency: 32,
            faults: Faults::default(),
        },
        Scenario {
            name: "no faults",
            accounts,
            per_region,
            concurrency: 256,
            faults: Faults::default(),
        },
        Scenario {
            name: "20% 429, 5% 500, 1% dropped",
            accounts,
            per_region,
            concurrency: 32,
            faults: faults(),
        },
        Scenario {
            name: "20% 429, 5% 500, 1% dropped",
            accounts,
            per_region,
            concurrency: 256,
            faults: faults(),
        },
    ];
    println!(
        "| scenario | domains | accounts | --concurrency | apply s | domains/s | throttles | attempts | peak req/s (one account) | re-run s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for s in scenarios {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("org.yaml"),
            org::manifest(300_000_000_000, s.accounts, s.per_region),
        )
        .expect("manifest");
        // AWS's real quotas per account (100 writes/s, 800 reads/s, 10 domains per Region) stay on.
        let config = Config {
            faults: s.faults.clone(),
            ..Config::default()
        };
        let endpoint = provision_emulator::start(config).await.expect("endpoint");
        let url = endpoint.url();
        let (apply_s, code, report) =
            tokio::task::block_in_place(|| apply(&url, dir.path(), s.concurrency));
        let peak = peak_rps(&url).await;
        endpoint.set_faults(Faults::default());
        let (rerun_s, rerun_code, _) =
            tokio::task::block_in_place(|| apply(&url, dir.path(), s.concurrency));
        let domains = s.accounts * s.per_region * 2;
        let attempts: u64 = report["domains"]
            .as_array()
            .map(|d| d.iter().filter_map(|x| x["attempts"].as_u64()).sum())
            .unwrap_or(0);
        println!(
            "| {} | {domains} | {} | {} | {apply_s:.1}{} | {:.0} | {} | {attempts} | {peak} | {rerun_s:.1}{} |",
            s.name,
            s.accounts,
            s.concurrency,
            if code == 0 { "" } else { " (exit ≠ 0)" },
            domains as f64 / apply_s,
            report["throttles"],
            if rerun_code == 0 { "" } else { " (exit ≠ 0)" },
        );
        endpoint.shutdown().await;
    }
}
