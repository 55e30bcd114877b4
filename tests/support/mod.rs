//! Test harness: an endpoint in-process, the real `provision` binary pointed at it, manifests in a temp dir.
#![allow(dead_code)]

pub mod org;
pub mod scale;

use aws_config::{BehaviorVersion, Region, retry::RetryConfig};
use aws_sdk_codeartifact::config::Credentials;
use provision_emulator::{Config, Running};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The account the caller's credentials act as in these tests.
pub const CALLER: &str = "123456789012";

pub struct World {
    pub endpoint: Running,
    pub dir: tempfile::TempDir,
}

pub async fn world(config: Config) -> World {
    World {
        endpoint: provision_emulator::start(config)
            .await
            .expect("endpoint starts"),
        dir: tempfile::tempdir().expect("temp dir"),
    }
}

/// Unlimited request rates (faults and quotas are what a test sets).
pub fn config() -> Config {
    let mut c = Config::default();
    c.quotas.write_tps = 0;
    c.quotas.read_tps = 0;
    c
}

impl World {
    pub fn url(&self) -> String {
        self.endpoint.url()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write file");
        p
    }

    /// Run the binary against this endpoint with the caller's static credentials.
    /// (`--endpoint-url` is given to the commands that call AWS: plan and apply.)
    pub async fn run(&self, args: &[&str]) -> Run {
        let mut cmd = provision();
        cmd.args(args).current_dir(self.dir.path());
        if matches!(args.first(), Some(&"plan" | &"apply")) {
            cmd.arg("--endpoint-url").arg(self.url());
        }
        Run::of(cmd).await
    }

    pub async fn codeartifact(&self, account: &str, region: &str) -> aws_sdk_codeartifact::Client {
        aws_sdk_codeartifact::Client::new(&self.sdk(account, region).await)
    }

    pub async fn sts(&self, account: &str, region: &str) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.sdk(account, region).await)
    }

    pub async fn kms(&self, account: &str, region: &str) -> aws_sdk_kms::Client {
        aws_sdk_kms::Client::new(&self.sdk(account, region).await)
    }

    async fn sdk(&self, account: &str, region: &str) -> aws_config::SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(self.url())
            .region(Region::new(region.to_string()))
            .credentials_provider(Credentials::new(account, "test", None, None, "test"))
            .retry_config(RetryConfig::disabled())
            .load()
            .await
    }

    /// Names of the domains in one account and Region, sorted.
    pub async fn domains(&self, account: &str, region: &str) -> Vec<String> {
        let ca = self.codeartifact(account, region).await;
        let out = ca.list_domains().send().await.expect("ListDomains");
        out.domains()
            .iter()
            .filter_map(|d| d.name().map(str::to_string))
            .collect()
    }

    pub fn report(&self, name: &str) -> serde_json::Value {
        let text = std::fs::read_to_string(self.path(name)).expect("report written");
        serde_json::from_str(&text).expect("report is JSON")
    }
}

/// The binary with an environment that cannot leak the developer's AWS setup into a test.
pub fn provision() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_provision"));
    for var in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_DEFAULT_PROFILE",
        "GITHUB_STEP_SUMMARY",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_ACCESS_KEY_ID", CALLER)
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/provision-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/provision-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null());
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// No run of the binary in a test may take longer: a hang fails the test instead of the suite.
pub const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(240);

impl Run {
    /// Run on a blocking thread so the in-process endpoint keeps serving meanwhile.
    pub async fn of(mut cmd: Command) -> Run {
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let child = cmd.spawn().expect("binary runs");
        Run::wait(child).await
    }

    /// Wait for a spawned binary, killing it (and failing the test) past `RUN_LIMIT`. Its output
    /// is drained meanwhile, so a large plan cannot fill the pipe and stall it.
    pub async fn wait(mut child: std::process::Child) -> Run {
        use std::io::Read;
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut buf);
                }
                String::from_utf8_lossy(&buf).into_owned()
            })
        };
        let stdout = drain(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let stderr = drain(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for the binary") {
                break status;
            }
            if started.elapsed() > RUN_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "provision ran longer than {RUN_LIMIT:?} and was killed\n--- stderr\n{}",
                    stderr.join().unwrap_or_default()
                );
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        Run {
            code: status.code().unwrap_or(-1),
            stdout: stdout.join().unwrap_or_default(),
            stderr: stderr.join().unwrap_or_default(),
        }
    }

    #[track_caller]
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A manifest over two accounts (one assumed role, one the caller) and two Regions.
pub fn manifest(domains: &str) -> String {
    format!(
        r#"version: 1
defaults:
  region: us-east-1
  tags: {{ managed-by: provision }}
accounts:
  platform: {{ id: "111122223333", role_arn: "arn:aws:iam::111122223333:role/Provisioner" }}
domains:
{domains}"#
    )
}

pub fn count(report: &serde_json::Value, outcome: &str) -> u64 {
    report["summary"][outcome]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.{outcome} in {report}"))
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// GET an admin path of the endpoint with a raw HTTP/1.1 request (no HTTP client crate needed).
pub async fn admin_get(url: &str, path: &str) -> serde_json::Value {
    admin(url, "GET", path, "").await
}

/// Call an admin path of the endpoint with `body`; its JSON answer.
pub async fn admin(url: &str, method: &str, path: &str, body: &str) -> serde_json::Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes()).await.expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).await.expect("read");
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    serde_json::from_str(body).expect("JSON body")
}

/// How many calls of any operation, on any account, the endpoint answered with `outcome`
/// (`ok`, an error code, `dropped-before-write`, ...), from its stats.
pub fn outcomes(stats: &serde_json::Value, outcome: &str) -> u64 {
    stats["accounts"]
        .as_object()
        .expect("stats have accounts")
        .values()
        .flat_map(|a| a["operations"].as_object().expect("operations").values())
        .filter_map(|o| o[outcome].as_u64())
        .sum()
}

/// The same for one operation.
pub fn operation_outcomes(stats: &serde_json::Value, operation: &str, outcome: &str) -> u64 {
    stats["accounts"]
        .as_object()
        .expect("stats have accounts")
        .values()
        .filter_map(|a| a["operations"][operation][outcome].as_u64())
        .sum()
}

/// A diagnostic's words on one line, without miette's wrapping and gutter: what a test can look
/// for whatever the terminal width.
pub fn flat(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}
