//! Benchmark of load and validate at organisation scale: wall time of `provision validate`
//! (release binary) on manifests of 10 domains per account, listed explicitly under an
//! `accounts` map, one Region. Prints a Markdown table; `-- --quick` for a seconds-long run.
//! Run with `cargo bench --bench validate` (`-- --sizes 5000,40000` picks the domain counts).

#[path = "../tests/support/scale.rs"]
mod scale;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Domains per account, as in the measurements.
const PER_ACCOUNT: usize = 10;

/// Wall time of one `provision validate`, or why it failed.
fn validate(path: &Path) -> Result<f64, String> {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_provision"))
        .arg("validate")
        .arg(path)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run provision: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    if out.status.success() {
        Ok(seconds)
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().take(3).collect::<Vec<_>>().join(" ");
        Err(format!("exit {:?}: {first}", out.status.code()))
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick") || std::env::var_os("BENCH_QUICK").is_some();
    let sizes: Vec<usize> = match args.iter().position(|a| a == "--sizes") {
        Some(i) => args
            .get(i + 1)
            .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .unwrap_or_default(),
        None if quick => vec![1_000, 10_000],
        // The last is 10.4 MB, just under the manifest size limit (10 MiB).
        None => vec![10_000, 100_000, 170_000],
    };
    let runs = if quick { 1 } else { 3 };
    let dir = tempfile::tempdir().expect("temp dir");
    println!(
        "| domains | accounts | bytes | seconds (best of {runs}) | ratio to the previous row |"
    );
    println!("|---|---|---|---|---|");
    let mut previous: Option<(usize, f64)> = None;
    for domains in sizes {
        let accounts = domains.div_ceil(PER_ACCOUNT);
        let text = scale::manifest(accounts, PER_ACCOUNT);
        let path = dir.path().join(format!("org-{domains}.yaml"));
        std::fs::write(&path, &text).expect("manifest");
        let mut best = f64::INFINITY;
        let mut failure = None;
        for _ in 0..runs {
            match validate(&path) {
                Ok(s) => best = best.min(s),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let (seconds, ratio) = match failure {
            Some(e) => (format!("refused ({e})"), String::new()),
            None => {
                let ratio = previous.map_or(String::new(), |(n, s)| {
                    format!(
                        "{:.1}× time for {:.1}× domains",
                        best / s,
                        domains as f64 / n as f64
                    )
                });
                previous = Some((domains, best));
                (format!("{best:.3}"), ratio)
            }
        };
        println!(
            "| {domains} | {accounts} | {} | {seconds} | {ratio} |",
            text.len()
        );
    }
}
