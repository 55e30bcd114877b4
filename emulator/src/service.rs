//! What every operation handler gets: the shared context and one authenticated, decoded call.

use crate::body::Budget;
use crate::config::{Config, Faults};
use crate::error::ApiError;
use crate::faults::FaultInjector;
use crate::organizations;
use crate::quota::RateLimiter;
use crate::sigv4::SigningKeys;
use crate::state::Store;
use crate::stats::Stats;
use hyper::http::{HeaderMap, Method};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Mutex;

/// Shared by every request of one endpoint.
pub struct Ctx {
    pub config: Config,
    pub store: Store,
    pub faults: FaultInjector,
    pub limiter: RateLimiter,
    pub stats: Stats,
    /// Request-body bytes all connections may hold at once.
    pub buffered: Budget,
    /// SigV4 signing keys derived so far, by secret and scope.
    pub signing_keys: SigningKeys,
    /// The organisation Organizations serves (from `--organization`, or reloaded by a test).
    pub organization: organizations::Current,
    /// Identifiers (key ids, request ids, credentials). Separate from the fault generator
    /// so that a seeded fault sequence does not depend on how many ids were made.
    ids: Mutex<StdRng>,
}

impl Ctx {
    pub fn new(config: Config, store: Store, seed: u64) -> Self {
        let faults = FaultInjector::new(config.faults.clone(), seed);
        let limiter = RateLimiter::new(config.quotas.write_tps, config.quotas.read_tps);
        let stats = Stats::new(config.limits.max_stats_accounts);
        let buffered = Budget::new(config.limits.max_buffered);
        Self {
            config,
            store,
            faults,
            limiter,
            stats,
            buffered,
            signing_keys: SigningKeys::default(),
            organization: organizations::Current::default(),
            ids: Mutex::new(StdRng::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15)),
        }
    }

    pub fn set_faults(&self, faults: Faults) {
        self.faults.set(faults);
    }

    fn with_rng<T>(&self, f: impl FnOnce(&mut StdRng) -> T) -> T {
        f(&mut self.ids.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// A random UUID-v4-shaped id (request ids, KMS key ids).
    pub fn uuid(&self) -> String {
        let b: [u8; 16] = self.with_rng(|r| r.random());
        let h = hex::encode(b);
        format!(
            "{}-{}-4{}-{:x}{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            (b[8] & 0x3) | 0x8,
            &h[17..20],
            &h[20..32]
        )
    }

    /// `len` characters of `alphabet`, e.g. for access key ids and secrets.
    pub fn random_string(&self, alphabet: &[u8], len: usize) -> String {
        self.with_rng(|r| {
            (0..len)
                .map(|_| alphabet[r.random_range(0..alphabet.len())] as char)
                .collect()
        })
    }
}

/// One authenticated request, decoded.
pub struct Call<'a> {
    /// The account the credentials act as.
    pub account: String,
    /// The caller's identity as STS reports it.
    pub caller_arn: String,
    pub caller_user_id: String,
    pub region: String,
    pub method: &'a Method,
    /// Percent-decoded path.
    pub path: String,
    /// Percent-decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub request_id: &'a str,
    pub now: f64,
}

impl Call<'_> {
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as a JSON object (an empty body is an empty object).
    pub fn json_body(&self) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(serde_json::Map::new());
        }
        match serde_json::from_slice(self.body) {
            Ok(serde_json::Value::Object(map)) => Ok(map),
            Ok(_) => Err(ApiError::validation(
                "CANNOT_PARSE",
                "The request body must be a JSON object",
            )),
            Err(e) => Err(ApiError::validation(
                "CANNOT_PARSE",
                format!("The request body is not valid JSON: {e}"),
            )),
        }
    }

    /// Form-encoded body pairs (query protocol).
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.body).into_owned().collect()
    }
}
