//! A domain's address (account, Region, name) and the rule that no address is named twice.

use super::ids::{AccountId, Region};
use super::target::TargetKey;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

/// Where a domain lives and what it is called: how people, sorting and the plan refer to it.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct DomainAddress {
    pub account: AccountId,
    pub region: Region,
    pub name: String,
}

impl DomainAddress {
    pub fn new(account: impl Into<AccountId>, region: impl Into<Region>, name: &str) -> Self {
        Self {
            account: account.into(),
            region: region.into(),
            name: name.to_owned(),
        }
    }

    pub fn target(&self) -> TargetKey {
        TargetKey {
            account: self.account.clone(),
            region: self.region.clone(),
        }
    }
}

impl fmt::Display for DomainAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.account, self.region, self.name)
    }
}

/// A key named a second time: where it was first seen and where again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate<K, P> {
    pub key: K,
    /// Where the key was first named.
    pub first: P,
    /// Where it is named again.
    pub again: P,
}

/// Every key seen more than once, in input order, each repeat paired with the *first* sighting
/// (so a key named three times points twice at the same original). The one rule behind "a
/// domain is named once": the manifest applies it to addresses as written, resolve again once
/// the caller's account is known. Generic over the key and how a place is located.
pub fn duplicates<K, P>(items: impl IntoIterator<Item = (K, P)>) -> Vec<Duplicate<K, P>>
where
    K: Eq + Hash,
    P: Clone,
{
    let items = items.into_iter();
    // Sized once: growing by doubling rehashed every key of an organisation's manifest.
    let mut seen: HashMap<K, P> = HashMap::with_capacity(items.size_hint().0);
    let mut out = Vec::new();
    for (key, at) in items {
        if let Some(first) = seen.get(&key) {
            out.push(Duplicate {
                first: first.clone(),
                key,
                again: at,
            });
        } else {
            seen.insert(key, at);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_paired_with_the_first_sighting() {
        let d = duplicates([("a", 1), ("b", 2), ("a", 3), ("a", 4)]);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].key, d[0].first, d[0].again), ("a", 1, 3));
        assert_eq!((d[1].first, d[1].again), (1, 4));
        assert!(duplicates([("x", 1), ("y", 2)]).is_empty());
    }

    #[test]
    fn addresses_read_as_paths() {
        let a = DomainAddress::new("111122223333", "us-east-1", "acme");
        assert_eq!(a.to_string(), "111122223333/us-east-1/acme");
        assert_eq!(a.target().to_string(), "111122223333/us-east-1");
    }
}
