//! What the endpoint knows (domains, KMS keys and aliases, STS sessions), changed only by applying records, journaled first.

use crate::error::ApiError;
use crate::journal::{Journal, JournalError};
use crate::records::{Alias, Domain, Key, Record, Session};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Everything one account has in one Region.
#[derive(Debug, Default)]
pub struct RegionState {
    /// Shared, so that a listing takes its page under the lock as a few reference counts and
    /// renders it after letting go.
    pub domains: BTreeMap<String, Arc<Domain>>,
    pub keys: BTreeMap<String, Key>,
    pub aliases: BTreeMap<String, Alias>,
}

/// The whole world of the endpoint; keyed by (account, Region).
#[derive(Debug, Default)]
pub struct State {
    pub regions: HashMap<(String, String), RegionState>,
    pub sessions: HashMap<String, Session>,
}

impl State {
    pub fn region(&self, account: &str, region: &str) -> Option<&RegionState> {
        self.regions.get(&(account.to_string(), region.to_string()))
    }

    pub fn domain(&self, account: &str, region: &str, name: &str) -> Option<&Arc<Domain>> {
        self.region(account, region)?.domains.get(name)
    }

    fn region_mut(&mut self, account: &str, region: &str) -> &mut RegionState {
        self.regions
            .entry((account.to_string(), region.to_string()))
            .or_default()
    }

    /// The only way state changes, live or when a journal is replayed.
    pub fn apply(&mut self, record: Record) {
        match record {
            Record::PutDomain(d) => {
                let (owner, region) = (d.owner.clone(), d.region.clone());
                self.region_mut(&owner, &region)
                    .domains
                    .insert(d.name.clone(), Arc::new(d));
            }
            Record::DeleteDomain {
                owner,
                region,
                name,
            } => {
                self.region_mut(&owner, &region).domains.remove(&name);
            }
            Record::PutKey(k) => {
                let (account, region) = (k.account.clone(), k.region.clone());
                self.region_mut(&account, &region)
                    .keys
                    .insert(k.id.clone(), k);
            }
            Record::PutAlias {
                account,
                region,
                alias,
            } => {
                self.region_mut(&account, &region)
                    .aliases
                    .insert(alias.name.clone(), alias);
            }
            Record::PutSession(s) => {
                self.sessions.insert(s.access_key_id.clone(), s);
            }
        }
    }

    /// Records that rebuild this state from nothing (journal compaction).
    fn snapshot(&self) -> Vec<Record> {
        let mut out = Vec::new();
        let mut keys: Vec<_> = self.regions.keys().collect();
        keys.sort();
        for key in keys {
            let r = &self.regions[key];
            out.extend(r.keys.values().cloned().map(Record::PutKey));
            out.extend(r.aliases.values().map(|a| Record::PutAlias {
                account: key.0.clone(),
                region: key.1.clone(),
                alias: a.clone(),
            }));
            out.extend(
                r.domains
                    .values()
                    .map(|d| Record::PutDomain(Domain::clone(d))),
            );
        }
        out.extend(self.sessions.values().cloned().map(Record::PutSession));
        out
    }
}

/// State behind one lock, with the journal appended before a change is applied, so
/// that every write acknowledged to a client is on disk (in the OS) first. Most requests
/// only read (a run's observation is all reads), so readers share the lock.
pub struct Store {
    inner: RwLock<Inner>,
}

struct Inner {
    state: State,
    journal: Option<Journal>,
}

impl Store {
    pub fn in_memory() -> Self {
        Self {
            inner: RwLock::new(Inner {
                state: State::default(),
                journal: None,
            }),
        }
    }

    /// Replay the journal in `dir`, compact it, and keep appending to it.
    pub fn open(dir: &Path) -> Result<Self, JournalError> {
        let (records, journal) = Journal::open(dir)?;
        let mut state = State::default();
        for r in records {
            state.apply(r);
        }
        let journal = journal.compact(&state.snapshot())?;
        Ok(Self {
            inner: RwLock::new(Inner {
                state,
                journal: Some(journal),
            }),
        })
    }

    // A panic while holding the lock cannot leave state half-changed (records are applied
    // after the journal write, one by one), so a poisoned lock is still usable.
    fn shared(&self) -> RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn exclusive(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Look at the state; keep `f` short (copy or share what is needed, render after).
    pub fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.shared().state)
    }

    /// Decide a change from the current state, journal it, then apply it, atomically.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&State) -> Result<(T, Vec<Record>), ApiError>,
    ) -> Result<T, ApiError> {
        let mut inner = self.exclusive();
        let (out, records) = f(&inner.state)?;
        if let Some(journal) = inner.journal.as_mut() {
            journal
                .append(&records)
                .map_err(|e| ApiError::internal(format!("state journal: {e}")))?;
        }
        for r in records {
            inner.state.apply(r);
        }
        Ok(out)
    }
}
