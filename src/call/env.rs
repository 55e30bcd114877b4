//! What reaching AWS takes during one run: where requests go, the gate every call passes, how
//! many run at once, and the clients of each target (built once, shared by every stage).

use super::gate::Gate;
use crate::aws::{CallError, Clients, Connection, ErrorKind};
use crate::model::{Target, TargetKey};
use std::collections::HashMap;

pub struct Environment {
    pub connection: Connection,
    pub gate: Gate,
    pub concurrency: usize,
    clients: HashMap<TargetKey, Clients>,
}

impl Environment {
    pub fn new(connection: Connection, gate: Gate, concurrency: usize) -> Self {
        Self {
            connection,
            gate,
            concurrency,
            clients: HashMap::new(),
        }
    }

    /// Build the clients of every target (credentials resolve lazily, on first call).
    pub async fn connect(&mut self, targets: &[Target]) {
        for t in targets {
            let config = self
                .connection
                .target(&t.credentials, t.account.as_str(), t.region.as_str())
                .await;
            self.clients.insert(t.key(), Clients::new(&config));
        }
    }

    /// The target's clients. `connect` builds one for every target first, so a missing one is
    /// a bug, reported rather than panicked on.
    pub fn clients(&self, key: &TargetKey) -> Result<&Clients, CallError> {
        self.clients.get(key).ok_or_else(|| {
            CallError::new(
                ErrorKind::Other,
                format!("no client was built for {key} (a bug: please report it)"),
            )
        })
    }
}
