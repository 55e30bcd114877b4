//! `provision emulator` as scripts use it: URL on the first stdout line, clean shutdown on a signal,
//! clear errors for bad flags, loopback only unless told, state that survives `kill -9`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_provision"))
        .arg("emulator")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn emulator");
    let stdout = child.stdout.take().expect("stdout piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    (child, line.trim().to_string())
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// A CodeArtifact client for account 111122223333 at `url`.
async fn client(url: &str) -> aws_sdk_codeartifact::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_codeartifact::config::Credentials::new(
            "111122223333",
            "test",
            None,
            None,
            "test",
        ))
        .load()
        .await;
    aws_sdk_codeartifact::Client::new(&config)
}

async fn domains(url: &str) -> Vec<String> {
    let out = client(url)
        .await
        .list_domains()
        .send()
        .await
        .expect("ListDomains");
    out.domains()
        .iter()
        .filter_map(|d| d.name().map(str::to_string))
        .collect()
}

async fn create(url: &str, name: &str) {
    let ca = client(url).await;
    ca.create_domain()
        .domain(name)
        .send()
        .await
        .expect("CreateDomain");
}

#[tokio::test]
async fn prints_the_url_first_and_stops_cleanly_on_sigterm() {
    let (mut child, url) = spawn(&["--listen", "127.0.0.1:0"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    create(&url, "one").await;
    assert_eq!(domains(&url).await, ["one"]);
    signal(&child, "-TERM");
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn every_acknowledged_write_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().to_str().unwrap();
    let (mut child, url) = spawn(&["--state", state, "--write-tps", "0", "--domain-quota", "0"]);
    for i in 0..50 {
        create(&url, &format!("kept-{i:02}")).await;
    }
    signal(&child, "-KILL");
    let _ = tokio::task::spawn_blocking(move || child.wait()).await;

    let (mut child, url) = spawn(&["--state", state]);
    let names = domains(&url).await;
    assert_eq!(names.len(), 50, "{names:?}");
    signal(&child, "-TERM");
    let _ = tokio::task::spawn_blocking(move || child.wait()).await;
}

#[test]
fn bad_flags_get_a_clear_error() {
    for (args, needle) in [
        (&["--throttle-rate", "1.5"][..], "between 0 and 1"),
        (&["--error-rate", "lots"][..], "not a number"),
        (&["--latency", "5ms"][..], "MIN..MAX"),
        (&["--latency", "50..5"][..], "minimum above its maximum"),
        (&["--deny-account", "12345"][..], "12 digits"),
        (&["--listen", "nowhere"][..], "invalid socket address"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_provision"))
            .arg("emulator")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}

#[test]
fn a_non_loopback_address_needs_an_explicit_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_provision"))
        .args(["emulator", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--allow-non-loopback"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_state_path_that_is_a_file_names_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_provision"))
        .args(["emulator", "--state", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not-a-dir"), "{stderr}");
    // The OS error is the cause; miette prints the source chain, so no message may repeat it.
    // Its lines are wrapped and prefixed with `│`, so compare the words only.
    let words: Vec<&str> = stderr.split_whitespace().filter(|w| *w != "│").collect();
    assert_eq!(words.join(" ").matches("os error").count(), 1, "{stderr}");
}
