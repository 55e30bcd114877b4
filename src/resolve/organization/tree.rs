//! The organisation as fetched: its units (the root among them), the accounts of the units that
//! were listed, and the tags of the accounts whose tags were needed.

use crate::manifest::OuRef;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    pub id: String,
    pub management_account: String,
    pub root: String,
    /// By id; the root is the unit named `Root` without a parent.
    pub units: HashMap<String, Unit>,
    /// The accounts directly in each unit that was listed, by unit id.
    pub accounts: HashMap<String, Vec<OrgAccount>>,
    /// Account tags, by account id, for the accounts whose tags were fetched.
    pub tags: HashMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub name: String,
    pub parent: Option<String>,
    pub children: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED`, … as AWS says.
    pub state: String,
}

impl OrgAccount {
    /// Only ACTIVE accounts are targets.
    pub fn is_active(&self) -> bool {
        self.state == "ACTIVE"
    }
}

impl OrgTree {
    /// The unit a reference names; `Err` holds the names that were possible where the path broke.
    pub fn find(&self, unit: &OuRef) -> Result<&str, Vec<&str>> {
        match unit {
            OuRef::Id(id) => self
                .units
                .get_key_value(id)
                .map(|(k, _)| k.as_str())
                .ok_or_else(Vec::new),
            OuRef::Path(names) => {
                let mut at = self.root.as_str();
                for name in names {
                    let children = self.units.get(at).map_or(&[][..], |u| &u.children[..]);
                    let next = children
                        .iter()
                        .find(|c| self.units.get(*c).is_some_and(|u| &u.name == name));
                    match next {
                        Some(c) => at = c,
                        None => {
                            return Err(children
                                .iter()
                                .filter_map(|c| self.units.get(c).map(|u| u.name.as_str()))
                                .collect());
                        }
                    }
                }
                Ok(at)
            }
        }
    }

    /// `id` and, when `recursive`, every unit below it.
    pub fn below(&self, id: &str, recursive: bool) -> Vec<String> {
        let mut out = vec![id.to_string()];
        if !recursive {
            return out;
        }
        let mut i = 0;
        while i < out.len() {
            if let Some(u) = self.units.get(&out[i]) {
                out.extend(u.children.iter().cloned());
            }
            i += 1;
        }
        out
    }
}
