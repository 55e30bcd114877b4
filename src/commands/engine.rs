//! What plan and apply share: connecting (AWS, another endpoint, or the embedded one) and making
//! a plan (resolve → observe → diff).

use crate::Error;
use crate::aws::Connection;
use crate::aws::endpoint::check_endpoints;
use crate::call::{Environment, Gate, RetryPolicy};
use crate::cli::{EngineArgs, SessionArgs};
use crate::manifest::Manifest;
use crate::model::Filter;
use crate::plan::Plan;
use crate::report::event_log::EventLog;
use crate::{observe, plan, resolve};
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::Arc;

/// Where `--local` keeps the embedded endpoint's state, relative to the working directory.
pub const LOCAL_STATE_DIR: &str = ".provision/local";

/// A connected engine; owns the embedded endpoint when `--local`.
pub struct Session {
    pub env: Environment,
    local: Option<provision_emulator::Running>,
    domain_quota: u32,
}

impl Session {
    /// `events` hears every call of the session.
    pub async fn connect(
        global: &SessionArgs,
        engine: &EngineArgs,
        events: Option<&Arc<EventLog>>,
    ) -> Result<Self, Error> {
        let (connection, local) = if global.local {
            let config = provision_emulator::Config {
                state: Some(LOCAL_STATE_DIR.into()),
                organization: global.organization.clone(),
                ..provision_emulator::Config::default()
            };
            let running = provision_emulator::start(config).await?;
            let mut connection = Connection::new(Some(running.url()), true);
            // With an organisation, the caller is its management account, as in a CI job that
            // bootstraps the organisation.
            if let Some(management) = running.management_account() {
                connection.local_caller = management;
            }
            (connection, Some(running))
        } else {
            check_endpoints(
                global.endpoint_url.as_deref(),
                global.allow_insecure_endpoint,
            )?;
            let mut connection = Connection::new(global.endpoint_url.clone(), false);
            connection.profile = global.profile.clone();
            (connection, None)
        };
        let nz = |n: u32| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        let mut gate = Gate::new(
            nz(engine.rate),
            nz(engine.read_rate),
            engine.concurrency as usize,
            RetryPolicy::default(),
        );
        // The debug log hears every call; it costs nothing while nothing is logged.
        gate.observe(Arc::new(crate::call::log::Log));
        if let Some(events) = events {
            gate.observe(Arc::clone(events) as Arc<dyn crate::call::Observer>);
        }
        let env = Environment::new(connection, gate, engine.concurrency as usize);
        Ok(Self {
            env,
            local,
            domain_quota: engine.domain_quota,
        })
    }

    /// Resolve the manifest's targets, limit them to `filter`, observe them and diff them
    /// against it. `watch` hears how the observation goes.
    pub async fn plan(
        &mut self,
        path: &Path,
        manifest: &Manifest,
        filter: &Filter,
        watch: &dyn observe::Watch,
    ) -> Result<Plan, Error> {
        let mut resolved = resolve::resolve(&self.env, manifest).await?;
        let left_out = resolve::limit(&mut resolved, filter)?;
        self.env.connect(&resolved.targets).await;
        let live = observe::observe(&self.env, &resolved, watch).await?;
        let mut plan = plan::diff(
            &path.display().to_string(),
            &manifest.digest,
            &resolved,
            &live,
        );
        plan.limit_to(filter, left_out);
        plan::quota::enforce(&mut plan, &live, self.domain_quota);
        Ok(plan)
    }

    /// Stop the embedded endpoint, if any, after in-flight requests.
    pub async fn close(self) {
        if let Some(local) = self.local {
            local.shutdown().await;
        }
    }
}

/// The event stream of `--events`, created (and so checked writable) before any call; it
/// hears every call from then on.
pub fn events(path: Option<&Path>, command: &str) -> Result<Option<Arc<EventLog>>, Error> {
    let Some(path) = path else {
        return Ok(None);
    };
    let log = EventLog::create(path, command).map_err(|cause| Error::EventsPath {
        path: path.to_path_buf(),
        cause,
    })?;
    Ok(Some(Arc::new(log)))
}
