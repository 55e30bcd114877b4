//! What a run shows while it goes, through the real binary: status lines on stderr without a
//! terminal, none with `-q`, and a bar drawn on a terminal (a pseudo terminal here).

mod support;

use provision_emulator::{Faults, Latency};
use support::{World, config, manifest, world};

/// Twelve domains for the caller over two Regions (a Region holds 10): with one call in flight
/// at a time and the endpoint's latency, applying them outlasts the first status line.
fn twelve() -> String {
    let domains: String = (1..=12)
        .map(|i| {
            let region = if i % 2 == 0 { "us-east-1" } else { "eu-west-1" };
            format!("  - {{ name: d{i:02}, region: {region} }}\n")
        })
        .collect();
    manifest(&domains)
}

async fn slow_world(ms: u64) -> World {
    let w = world(config()).await;
    w.endpoint.set_faults(Faults {
        latency: Some(Latency {
            min_ms: ms,
            max_ms: ms,
        }),
        ..Faults::default()
    });
    w
}

const SLOW_APPLY: &[&str] = &["--auto-approve", "--concurrency", "1"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_a_slow_apply_writes_status_lines() {
    let w = slow_world(550).await;
    let m = w.write("m.yaml", &twelve());
    let run = w
        .run(&[&["apply", m.to_str().unwrap()], SLOW_APPLY].concat())
        .await;
    run.expect(0);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("applying: "))
        .collect();
    assert!(!lines.is_empty(), "no status line:\n{}", run.stderr);
    for line in &lines {
        // "applying: 8/12 domains done, 0 failed, 1.6/s, ETA 3 s"
        let (done, rest) = line["applying: ".len()..].split_once('/').unwrap();
        let done: u32 = done.parse().unwrap();
        assert!((1..12).contains(&done), "{line}");
        assert!(rest.starts_with("12 domains done, 0 failed, "), "{line}");
        assert!(rest.contains("/s, ETA "), "{line}");
    }
    // No bar, no escape sequence: a CI log shows plain lines.
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_writes_no_status_line() {
    let w = slow_world(550).await;
    let m = w.write("m.yaml", &twelve());
    let run = w
        .run(&[&["apply", m.to_str().unwrap(), "-q"], SLOW_APPLY].concat())
        .await;
    run.expect(0);
    assert!(
        !run.stderr.contains("applying: ") && !run.stderr.contains("observing: "),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quick_run_writes_no_status_line() {
    let w = world(config()).await;
    let m = w.write("m.yaml", &twelve());
    let run = w
        .run(&["apply", m.to_str().unwrap(), "--auto-approve"])
        .await;
    run.expect(0);
    assert!(!run.stderr.contains("applying: "), "{}", run.stderr);
}
