//! The organisation file (`--organization org.yaml`): its YAML shape, its checks, and the
//! in-memory organisation built from it once, indexed so that every call is a lookup.
//!
//! Ids are derived from the management account and each OU's path of names (a hash), so the
//! same file gives the same ids across restarts, and editing one OU leaves the others' alone.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// AWS's limit on OU nesting below the root.
const MAX_OU_DEPTH: usize = 5;
/// When accounts joined (2020-01-01T00:00:00Z): the file has no dates, and a fixed value keeps
/// answers identical across restarts.
const JOINED: f64 = 1_577_836_800.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOrganization {
    management_account: AccountId,
    #[serde(default)]
    feature_set: FeatureSet,
    /// Tags on the root.
    #[serde(default)]
    root_tags: BTreeMap<String, String>,
    /// Accounts directly under the root.
    #[serde(default)]
    accounts: Vec<FileAccount>,
    #[serde(default)]
    ous: Vec<FileOu>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOu {
    name: String,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    accounts: Vec<FileAccount>,
    #[serde(default)]
    ous: Vec<FileOu>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAccount {
    id: AccountId,
    name: String,
    /// Defaults to `aws+<id>@example.com`.
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    state: State,
    #[serde(default)]
    joined_method: Option<JoinedMethod>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    /// The IAM roles (by name) that can be assumed in this account; absent: any role, as
    /// without an organisation. `[]` makes every AssumeRole into it AccessDenied.
    #[serde(default)]
    roles: Option<Vec<String>>,
}

/// Twelve digits; written unquoted, YAML reads an id as a number (and would drop leading zeros).
#[derive(Debug)]
enum AccountId {
    Text(String),
    Number(u64),
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = AccountId;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an account id of 12 digits, quoted (\"012345678901\")")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AccountId, E> {
                Ok(AccountId::Text(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<AccountId, E> {
                Ok(AccountId::Number(v))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl AccountId {
    fn checked(&self) -> Result<String, String> {
        let id = match self {
            Self::Text(s) => s.clone(),
            // Fewer than 12 digits read: leading zeros were lost, or the id is short.
            Self::Number(n) if (100_000_000_000..=999_999_999_999).contains(n) => n.to_string(),
            Self::Number(n) => {
                return Err(format!(
                    "`{n}` is not an AWS account id (12 digits; quote ids with leading zeros)"
                ));
            }
        };
        if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
            Ok(id)
        } else {
            Err(format!("`{id}` is not an AWS account id (12 digits)"))
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum FeatureSet {
    #[default]
    #[serde(rename = "ALL")]
    All,
    #[serde(rename = "CONSOLIDATED_BILLING")]
    ConsolidatedBilling,
}

impl FeatureSet {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "ALL",
            Self::ConsolidatedBilling => "CONSOLIDATED_BILLING",
        }
    }
}

/// An account's `State` (the current member).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum State {
    #[default]
    Active,
    Suspended,
    PendingActivation,
    PendingClosure,
    Closed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Suspended => "SUSPENDED",
            Self::PendingActivation => "PENDING_ACTIVATION",
            Self::PendingClosure => "PENDING_CLOSURE",
            Self::Closed => "CLOSED",
        }
    }

    /// The retired `Status` member, which has fewer values: a closed account was reported
    /// SUSPENDED during its post-closure period, and one being activated as ACTIVE.
    pub fn status(self) -> &'static str {
        match self {
            Self::Active | Self::PendingActivation => "ACTIVE",
            Self::Suspended | Self::Closed => "SUSPENDED",
            Self::PendingClosure => "PENDING_CLOSURE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JoinedMethod {
    Invited,
    Created,
}

impl JoinedMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "INVITED",
            Self::Created => "CREATED",
        }
    }
}

/// A root or an OU: what `ParentId` names.
#[derive(Debug)]
pub struct Parent {
    pub id: String,
    pub arn: String,
    pub name: String,
    /// `o-.../r-.../ou-.../`, as the model's `Path`.
    pub path: String,
    pub tags: BTreeMap<String, String>,
    /// Child OUs and accounts (indexes), sorted by id: pages are cut after the last id returned.
    pub ous: Vec<usize>,
    pub accounts: Vec<usize>,
}

#[derive(Debug)]
pub struct Account {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub email: String,
    pub state: State,
    pub joined_method: JoinedMethod,
    pub joined: f64,
    pub tags: BTreeMap<String, String>,
    /// Roles that can be assumed in it (`None`: any).
    pub roles: Option<Vec<String>>,
}

/// One organisation, immutable once built (a reload replaces it whole).
#[derive(Debug)]
pub struct Organization {
    pub id: String,
    pub arn: String,
    pub feature_set: FeatureSet,
    pub management: String,
    pub root: Parent,
    /// Every OU; `Parent::ous` index into it.
    pub ous: Vec<Parent>,
    /// Every account, sorted by id (ListAccounts' order).
    pub accounts: Vec<Account>,
    ou_index: HashMap<String, usize>,
}

impl Organization {
    /// Parse and check an organisation file's text.
    pub fn from_yaml(source: &str) -> Result<Self, String> {
        let mut options = serde_saphyr::Options::default();
        options.with_snippet = false;
        let file: FileOrganization =
            serde_saphyr::from_str_with_options(source, options).map_err(|e| e.to_string())?;
        Builder::build(file)
    }

    /// The root (`r-...`) or OU (`ou-...`) of this id.
    pub fn parent(&self, id: &str) -> Option<&Parent> {
        if id == self.root.id {
            return Some(&self.root);
        }
        self.ou_index.get(id).map(|&i| &self.ous[i])
    }

    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts
            .binary_search_by(|a| a.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.accounts[i])
    }

    pub fn management_account(&self) -> &Account {
        self.account(&self.management)
            .expect("the management account is checked to be listed")
    }
}

/// `len` lowercase hex characters of a hash of `parts` (hex is within AWS's `[a-z0-9]`).
fn hashed(parts: &[&str], len: usize) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        // A separator no name can contain, so ("a/b", "c") and ("a", "b/c") differ.
        h.update([0]);
    }
    hex::encode(h.finalize())[..len].to_string()
}

struct Builder {
    org_id: String,
    management: String,
    root_suffix: String,
    ous: Vec<Parent>,
    /// Accounts in file order, with where each was found (for duplicate messages).
    accounts: Vec<(Account, String)>,
}

impl Builder {
    fn build(file: FileOrganization) -> Result<Organization, String> {
        let management = file
            .management_account
            .checked()
            .map_err(|e| format!("management_account: {e}"))?;
        let org_id = format!("o-{}", hashed(&["organization", &management], 10));
        let root_suffix = hashed(&["root", &management], 4);
        let root_id = format!("r-{root_suffix}");
        let mut b = Builder {
            org_id: org_id.clone(),
            management: management.clone(),
            root_suffix,
            ous: Vec::new(),
            accounts: Vec::new(),
        };
        check_tags(&file.root_tags, "root_tags")?;
        let mut root = Parent {
            arn: format!("arn:aws:organizations::{management}:root/{org_id}/{root_id}"),
            path: format!("{org_id}/{root_id}/"),
            id: root_id,
            name: "Root".into(),
            tags: file.root_tags,
            ous: Vec::new(),
            accounts: Vec::new(),
        };
        b.add_children(&mut root, &[], file.accounts, file.ous)?;

        // Sort accounts by id, then renumber the parents' indexes to match.
        let mut order: Vec<usize> = (0..b.accounts.len()).collect();
        order.sort_by(|&x, &y| b.accounts[x].0.id.cmp(&b.accounts[y].0.id));
        if let Some(w) = order
            .windows(2)
            .find(|w| b.accounts[w[0]].0.id == b.accounts[w[1]].0.id)
        {
            let (a, first) = &b.accounts[w[0]];
            let second = &b.accounts[w[1]].1;
            return Err(format!(
                "account {} is listed twice (in {first} and in {second}); an account is in one place",
                a.id
            ));
        }
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut slots: Vec<Option<Account>> =
            b.accounts.into_iter().map(|(a, _)| Some(a)).collect();
        let accounts: Vec<Account> = order
            .iter()
            .map(|&old| slots[old].take().expect("each index once"))
            .collect();
        let ous = &mut b.ous;
        for parent in std::iter::once(&mut root).chain(ous.iter_mut()) {
            for i in &mut parent.accounts {
                *i = new_index[*i];
            }
            parent.accounts.sort_unstable();
        }
        let mut ou_index = HashMap::with_capacity(ous.len());
        for (i, ou) in ous.iter().enumerate() {
            if ou_index.insert(ou.id.clone(), i).is_some() {
                return Err(format!(
                    "two OUs hash to the id {}; rename one of them (e.g. `{}`)",
                    ou.id, ou.name
                ));
            }
        }
        let ou_ids: Vec<String> = ous.iter().map(|ou| ou.id.clone()).collect();
        for list in std::iter::once(&mut root.ous).chain(ous.iter_mut().map(|ou| &mut ou.ous)) {
            list.sort_by(|&x, &y| ou_ids[x].cmp(&ou_ids[y]));
        }
        let org = Organization {
            arn: format!("arn:aws:organizations::{management}:organization/{org_id}"),
            id: org_id,
            feature_set: file.feature_set,
            management,
            root,
            ous: b.ous,
            accounts,
            ou_index,
        };
        if org.account(&org.management).is_none() {
            return Err(format!(
                "the management account {} must be listed among the accounts (usually directly under the root)",
                org.management
            ));
        }
        Ok(org)
    }

    /// Add a parent's accounts and OUs (recursively); `names` is the OU path to `parent`.
    fn add_children(
        &mut self,
        parent: &mut Parent,
        names: &[&str],
        accounts: Vec<FileAccount>,
        ous: Vec<FileOu>,
    ) -> Result<(), String> {
        let place = if names.is_empty() {
            "the root".to_string()
        } else {
            format!("OU {}", names.join("/"))
        };
        for a in accounts {
            let index = self.accounts.len();
            let account = self.account(a).map_err(|e| format!("{place}: {e}"))?;
            self.accounts.push((account, place.clone()));
            parent.accounts.push(index);
        }
        let mut seen = std::collections::HashSet::new();
        for ou in ous {
            check_name(&ou.name, "OU name").map_err(|e| format!("{place}: {e}"))?;
            if !seen.insert(ou.name.clone()) {
                return Err(format!(
                    "{place}: two OUs are named `{}`; OU names are unique under a parent",
                    ou.name
                ));
            }
            if names.len() == MAX_OU_DEPTH {
                return Err(format!(
                    "{place}: OU `{}` would nest deeper than {MAX_OU_DEPTH} levels, AWS's limit",
                    ou.name
                ));
            }
            let mut path: Vec<&str> = names.to_vec();
            path.push(&ou.name);
            check_tags(&ou.tags, &format!("OU {} tags", path.join("/")))?;
            let mut hash_parts = vec!["ou", self.management.as_str()];
            hash_parts.extend(&path);
            let id = format!("ou-{}-{}", self.root_suffix, hashed(&hash_parts, 8));
            let mut child = Parent {
                arn: format!(
                    "arn:aws:organizations::{}:ou/{}/{id}",
                    self.management, self.org_id
                ),
                path: format!("{}{id}/", parent.path),
                id,
                name: ou.name.clone(),
                tags: ou.tags,
                ous: Vec::new(),
                accounts: Vec::new(),
            };
            self.add_children(&mut child, &path, ou.accounts, ou.ous)?;
            parent.ous.push(self.ous.len());
            self.ous.push(child);
        }
        Ok(())
    }

    fn account(&self, a: FileAccount) -> Result<Account, String> {
        let id = a.id.checked()?;
        check_name(&a.name, &format!("account {id}: name"))?;
        let email = a.email.unwrap_or_else(|| format!("aws+{id}@example.com"));
        check_email(&email).map_err(|e| format!("account {id}: {e}"))?;
        check_tags(&a.tags, &format!("account {id} tags"))?;
        // The management account created the organisation; the others default to created in it.
        let joined_method = a.joined_method.unwrap_or(if id == self.management {
            JoinedMethod::Invited
        } else {
            JoinedMethod::Created
        });
        Ok(Account {
            arn: format!(
                "arn:aws:organizations::{}:account/{}/{id}",
                self.management, self.org_id
            ),
            id,
            name: a.name,
            email,
            state: a.state,
            joined_method,
            joined: JOINED,
            tags: a.tags,
            roles: a.roles,
        })
    }
}

/// Account and OU names: 1 to 128 characters, as the model's `AccountName`/`OrganizationalUnitName`.
fn check_name(name: &str, what: &str) -> Result<(), String> {
    let len = name.chars().count();
    if (1..=128).contains(&len) {
        Ok(())
    } else {
        Err(format!("{what} `{name}` must be 1 to 128 characters"))
    }
}

/// The model's `Email`: 6 to 64 characters matching `[^\s@]+@[^\s@]+\.[^\s@]+`.
fn check_email(email: &str) -> Result<(), String> {
    let ok = (6..=64).contains(&email.chars().count())
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "email `{email}` is not an address of 6 to 64 characters"
        ))
    }
}

/// AWS's tag limits: 50 per resource, keys of 1 to 128 characters, values up to 256.
fn check_tags(tags: &BTreeMap<String, String>, what: &str) -> Result<(), String> {
    if tags.len() > 50 {
        return Err(format!("{what}: {} tags, AWS allows 50", tags.len()));
    }
    for (k, v) in tags {
        if !(1..=128).contains(&k.chars().count()) {
            return Err(format!("{what}: tag key `{k}` must be 1 to 128 characters"));
        }
        if v.chars().count() > 256 {
            return Err(format!(
                "{what}: the value of tag `{k}` is longer than 256 characters"
            ));
        }
    }
    Ok(())
}
