//! How an endpoint is configured: listen address, state, quotas and fault injection (also the CLI flags).

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// Everything an endpoint needs to start. The same struct is the `provision emulator`
/// flags, so the flags, their help and the library API cannot drift apart.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,

    /// Allow listening on a non-loopback address (the endpoint has no real security).
    #[arg(long)]
    pub allow_non_loopback: bool,

    /// Directory where every acknowledged write is journaled; absent = in memory only.
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,

    /// Secret access key every static access key id must sign with.
    #[arg(long, default_value = "test", value_name = "KEY")]
    pub secret: String,

    /// YAML file of the AWS Organization that Organizations serves (management account, OUs,
    /// accounts); absent = the accounts are in no organisation.
    #[arg(long, value_name = "FILE")]
    pub organization: Option<PathBuf>,

    #[command(flatten)]
    pub quotas: Quotas,

    #[command(flatten)]
    pub faults: Faults,

    #[command(flatten)]
    pub limits: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            allow_non_loopback: false,
            state: None,
            secret: "test".into(),
            organization: None,
            quotas: Quotas::default(),
            faults: Faults::default(),
            limits: Limits::default(),
        }
    }
}

/// What one client may hold of the endpoint, so that connections that never finish (or
/// requests that never verify) cannot exhaust it. Generous enough for a provisioning run with
/// thousands of requests in flight (an SDK client opens a connection per request in flight,
/// and a run has one per Region); short timeouts are for tests.
#[derive(Debug, Clone, clap::Args)]
pub struct Limits {
    /// Open connections at most; further clients wait in the listen queue (idle ones are closed to make room).
    #[arg(long, default_value_t = 4096, value_name = "N")]
    pub max_connections: usize,
    /// Seconds a connection may stay open with no request in progress and nothing sent.
    #[arg(long, default_value = "60", value_name = "SECONDS", value_parser = parse_seconds)]
    pub idle_timeout: Duration,
    /// Seconds a client has to send a request's headers once it has started them.
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = parse_seconds)]
    pub header_timeout: Duration,
    /// Seconds a client has to send a request's body once its headers arrived.
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = parse_seconds)]
    pub body_timeout: Duration,
    /// Largest request body in bytes (CodeArtifact's largest input, a policy, is 7 KiB).
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_body: usize,
    /// Bytes of request bodies buffered at once over all connections; beyond it requests get 503.
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES")]
    pub max_buffered: usize,
    /// Accounts whose request counts `/_emulator/stats` keeps; the least recently active one is dropped to make room.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub max_stats_accounts: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            idle_timeout: Duration::from_secs(60),
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_body: 1 << 20,
            max_buffered: 64 << 20,
            max_stats_accounts: 10_000,
        }
    }
}

/// A timeout flag: seconds, fractions allowed (`0.5`), above zero.
fn parse_seconds(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!(
            "`{s}` is not a timeout: expected seconds above 0, at most a day"
        )),
    }
}

/// CodeArtifact's service quotas, AWS's defaults unless told otherwise (0 = unlimited). STS
/// and KMS calls are not counted against the request rates.
#[derive(Debug, Clone, clap::Args, serde::Serialize, serde::Deserialize)]
pub struct Quotas {
    /// Domains per account per Region (AWS: 10).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub domain_quota: u32,
    /// Write requests per second per account (AWS: about 100).
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub write_tps: u32,
    /// Read requests per second per account (AWS: about 800).
    #[arg(long, default_value_t = 800, value_name = "N")]
    pub read_tps: u32,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            domain_quota: 10,
            write_tps: 100,
            read_tps: 800,
        }
    }
}

/// Faults injected into a run; seeded so that a failing test can be replayed.
#[derive(Debug, Clone, Default, clap::Args, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Fraction of requests answered 429 ThrottlingException with Retry-After.
    #[arg(long, default_value_t = Fraction(0.0), value_name = "F")]
    pub throttle_rate: Fraction,
    /// Fraction of requests answered 500.
    #[arg(long, default_value_t = Fraction(0.0), value_name = "F")]
    pub error_rate: Fraction,
    /// Fraction of requests whose connection is dropped with no answer.
    #[arg(long, default_value_t = Fraction(0.0), value_name = "F")]
    pub drop_rate: Fraction,
    /// Of the dropped requests, the fraction dropped after the write was applied.
    #[arg(long, default_value_t = Fraction(0.5), value_name = "F")]
    pub drop_after_write: Fraction,
    /// Added latency per request: `MS` or `MIN..MAX` (milliseconds).
    #[arg(long, value_name = "MS|MIN..MAX")]
    pub latency: Option<Latency>,
    /// Seconds announced in `Retry-After` on injected and quota throttling.
    #[arg(long, default_value_t = 1, value_name = "SECONDS")]
    pub retry_after: u32,
    /// Answer every request signed as this account with AccessDenied (repeatable).
    #[arg(long = "deny-account", value_name = "ID", value_parser = parse_account_id)]
    pub deny_accounts: Vec<String>,
    /// Seed of the fault generator (random when absent; printed at start).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

impl Faults {
    /// The fractions are drawn from one roll, so together they cannot exceed 1.
    pub fn check(&self) -> Result<(), String> {
        let sum = self.throttle_rate.0 + self.error_rate.0 + self.drop_rate.0;
        if sum > 1.0 + 1e-9 {
            return Err(format!(
                "--throttle-rate, --error-rate and --drop-rate add up to {sum}; together they must be at most 1"
            ));
        }
        Ok(())
    }
}

/// A probability in 0..=1.
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "f64", into = "f64")]
pub struct Fraction(pub f64);

impl TryFrom<f64> for Fraction {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        if (0.0..=1.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(format!("{value} is not a fraction between 0 and 1"))
        }
    }
}

impl From<Fraction> for f64 {
    fn from(f: Fraction) -> f64 {
        f.0
    }
}

impl FromStr for Fraction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let value: f64 = s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a number (expected a fraction such as 0.05)"))?;
        Self::try_from(value)
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Added latency: fixed, or uniformly drawn from a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Latency {
    pub min_ms: u64,
    pub max_ms: u64,
}

impl Latency {
    pub fn min(&self) -> Duration {
        Duration::from_millis(self.min_ms)
    }
}

impl FromStr for Latency {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parse = |part: &str| {
            part.trim().parse::<u64>().map_err(|_| {
                format!("`{s}` is not a latency: expected milliseconds `MS` or a range `MIN..MAX`, e.g. 5..50")
            })
        };
        let (min_ms, max_ms) = match s.split_once("..") {
            Some((a, b)) => (parse(a)?, parse(b)?),
            None => {
                let ms = parse(s)?;
                (ms, ms)
            }
        };
        if min_ms > max_ms {
            return Err(format!(
                "latency range `{s}` has its minimum above its maximum"
            ));
        }
        if max_ms > 600_000 {
            return Err(format!("latency `{s}` is above 10 minutes"));
        }
        Ok(Self { min_ms, max_ms })
    }
}

fn parse_account_id(s: &str) -> Result<String, String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not an AWS account id (12 digits)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_outside_zero_one_are_refused() {
        assert_eq!("0.25".parse::<Fraction>(), Ok(Fraction(0.25)));
        assert!(
            "1.5"
                .parse::<Fraction>()
                .unwrap_err()
                .contains("between 0 and 1")
        );
        assert!("-0.1".parse::<Fraction>().is_err());
        assert!(
            "abc"
                .parse::<Fraction>()
                .unwrap_err()
                .contains("not a number")
        );
    }

    #[test]
    fn latency_is_fixed_or_a_range() {
        assert_eq!(
            "7".parse::<Latency>(),
            Ok(Latency {
                min_ms: 7,
                max_ms: 7
            })
        );
        assert_eq!(
            "5..50".parse::<Latency>(),
            Ok(Latency {
                min_ms: 5,
                max_ms: 50
            })
        );
        assert!("50..5".parse::<Latency>().is_err());
        assert!("5ms".parse::<Latency>().is_err());
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_seconds("60"), Ok(Duration::from_secs(60)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("10s").is_err());
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(parse_account_id("111122223333").is_ok());
        assert!(parse_account_id("11112222333").is_err());
        assert!(parse_account_id("11112222333x").is_err());
    }
}
