//! What plan and apply share: connecting (AWS, another endpoint, or the embedded one) and making a plan.

use crate::Error;
use crate::apply::{Gate, RetryPolicy};
use crate::aws::Connection;
use crate::cli::{EngineArgs, GlobalArgs};
use crate::manifest::Manifest;
use crate::observe::{self, Environment, fetch::with_accounts, targets};
use crate::plan::{Plan, diff::diff};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::Path;

/// Where `--local` keeps the embedded endpoint's state, relative to the working directory.
pub const LOCAL_STATE_DIR: &str = ".provision/local";

/// A connected engine; owns the embedded endpoint when `--local`.
pub struct Session {
    pub env: Environment,
    local: Option<provision_emulator::Running>,
}

impl Session {
    pub async fn connect(global: &GlobalArgs, engine: &EngineArgs) -> Result<Self, Error> {
        let (connection, local) = if global.local {
            let config = provision_emulator::Config {
                state: Some(LOCAL_STATE_DIR.into()),
                ..provision_emulator::Config::default()
            };
            let running = provision_emulator::start(config).await?;
            let connection = Connection::new(Some(running.url()), true);
            (connection, Some(running))
        } else {
            let connection = Connection::new(global.endpoint_url.clone(), false);
            (connection, None)
        };
        let nz = |n: u32| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        let env = Environment {
            connection,
            gate: Gate::new(
                nz(engine.rate),
                nz(engine.read_rate),
                RetryPolicy::default(),
            ),
            concurrency: engine.concurrency as usize,
            clients: HashMap::new(),
        };
        Ok(Self { env, local })
    }

    /// Observe the manifest's targets and diff them against it.
    pub async fn plan(&mut self, path: &Path, manifest: &Manifest) -> Result<Plan, Error> {
        let caller = if targets::needs_caller(manifest) {
            let region = manifest
                .domains
                .first()
                .map_or("us-east-1", |d| d.region.as_str());
            Some(
                self.env
                    .caller_account(region)
                    .await
                    .map_err(|p| observe::ObserveError { problems: vec![p] })?,
            )
        } else {
            None
        };
        let targets = targets::targets(manifest, caller.as_deref());
        self.env.connect(&targets).await;
        let domains = with_accounts(manifest, caller.as_deref());
        // The manifest could not compare the caller's account with account ids before the
        // caller was known: the same domain named both ways would be planned twice.
        let mut seen = std::collections::HashMap::new();
        for (account, d) in &domains {
            if let Some(first) = seen.insert((account, &d.region, &d.name), d.line) {
                return Err(Error::Duplicate {
                    name: d.name.clone(),
                    account: account.clone(),
                    region: d.region.clone(),
                    first,
                    second: d.line,
                });
            }
        }
        let live = observe::observe(&self.env, &domains, &targets).await?;
        Ok(diff(&path.display().to_string(), &domains, targets, &live))
    }

    /// Stop the embedded endpoint, if any, after in-flight requests.
    pub async fn close(self) {
        if let Some(local) = self.local {
            local.shutdown().await;
        }
    }
}
