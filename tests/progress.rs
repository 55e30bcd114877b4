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

/// Run the binary with stdin, stdout and stderr on a pseudo terminal of 120 columns (TERM as
/// given): its exit code and everything it drew.
async fn on_a_terminal(w: &World, args: &[&str], term: &str) -> (i32, String) {
    answering(w, args, term, "").await
}

/// The same, with `typed` typed on the terminal (the answer to a question it will ask).
async fn answering(w: &World, args: &[&str], term: &str, typed: &str) -> (i32, String) {
    use std::io::{Read, Write};
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors on success and reads only `size`.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both were just opened and are owned by nothing else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut cmd = support::provision();
    cmd.args(args)
        .arg("--endpoint-url")
        .arg(w.url())
        .current_dir(w.dir.path())
        .env("TERM", term)
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave);
    let mut child = cmd.spawn().expect("spawn provision");
    // The terminal ends when its last user does: the child, not this process.
    drop(cmd);
    let mut master = std::fs::File::from(master);
    // The terminal keeps what is typed until the binary reads its line.
    master
        .write_all(typed.as_bytes())
        .expect("type on the terminal");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        // Linux answers EIO once the other side is closed.
        while let Ok(n @ 1..) = master.read(&mut buf) {
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&out).into_owned()
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < support::RUN_LIMIT, "provision hung");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    (status.code().unwrap_or(-1), reader.join().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_the_progress_bar_is_drawn() {
    let w = slow_world(250).await;
    let m = w.write("m.yaml", &twelve());
    let args = [&["apply", m.to_str().unwrap()], SLOW_APPLY].concat();
    let (code, drawn) = on_a_terminal(&w, &args, "xterm").await;
    assert_eq!(code, 0, "{drawn}");
    // Redrawn in place (indicatif clears the line) with the bar and where the run is.
    assert!(drawn.contains("\u{1b}[2K"), "no redraw: {drawn:?}");
    assert!(drawn.contains("domains done, 0 failed"), "{drawn:?}");
    assert!(drawn.contains("=>"), "no bar: {drawn:?}");
    assert!(drawn.contains("working on 1: "), "{drawn:?}");
    // No status line among the redraws: each line the bar drew was cleared again.
    assert!(
        !drawn
            .lines()
            .any(|l| l.trim_end().starts_with("applying: ")),
        "{drawn:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dumb_terminal_gets_status_lines_instead() {
    let w = slow_world(550).await;
    let m = w.write("m.yaml", &twelve());
    let args = [&["apply", m.to_str().unwrap()], SLOW_APPLY].concat();
    let (code, drawn) = on_a_terminal(&w, &args, "dumb").await;
    assert_eq!(code, 0, "{drawn}");
    assert!(
        drawn.lines().any(|l| l.starts_with("applying: ")),
        "{drawn:?}"
    );
    assert!(!drawn.contains('\u{1b}'), "an escape sequence: {drawn:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_a_slow_plan_says_how_many_targets_are_observed() {
    // Four calls in turn (the caller, the identity, two listings): 8 s, the first line at 5 s.
    let w = slow_world(2000).await;
    let m = w.write("m.yaml", &twelve());
    let run = w
        .run(&["plan", m.to_str().unwrap(), "--concurrency", "1"])
        .await;
    run.expect(0);
    let lines: Vec<&str> = (run.stderr.lines())
        .filter(|l| l.starts_with("observing: ") || l.starts_with("resolving"))
        .collect();
    assert!(
        lines.iter().any(|l| l.starts_with("observing: ")),
        "{}",
        run.stderr
    );
    for line in lines.iter().filter(|l| l.starts_with("observing: ")) {
        assert!(
            ["observing: 0/2 targets", "observing: 1/2 targets"].contains(line),
            "{line}"
        );
    }
}

/// Apply on a terminal asks before changing anything, and a run that would delete names how many
/// domains; any answer but `yes` changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_question_on_a_terminal_names_the_deletions() {
    let w = world(config()).await;
    let owned = "version: 1\nownership: { provision/manifest: q }\ndefaults: { region: us-east-1 }\ndomains:\n";
    let before = w.write(
        "before.yaml",
        &format!("{owned}  - {{ name: keep }}\n  - {{ name: old-a }}\n  - {{ name: old-b }}\n"),
    );
    w.run(&["apply", before.to_str().unwrap(), "--auto-approve"])
        .await
        .expect(0);
    let after = w.write("after.yaml", &format!("{owned}  - {{ name: keep }}\n"));
    let (code, drawn) = answering(
        &w,
        &["apply", after.to_str().unwrap(), "--prune"],
        "xterm",
        "no\n",
    )
    .await;
    assert_eq!(code, 1, "declined: {drawn}");
    assert!(
        drawn.contains("Apply these changes? This DELETES 2 domains (--prune)."),
        "{drawn:?}"
    );
    assert_eq!(
        w.domains(support::CALLER, "us-east-1").await.len(),
        3,
        "nothing deleted"
    );
}
