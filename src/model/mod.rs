//! The engine's vocabulary, below every stage: who (account, Region, credentials), what (a domain's
//! address), its tags and their delta, encryption-key references and permission policies. Plain
//! data and pure rules only.

pub mod address;
pub mod arn;
pub mod filter;
pub mod ids;
pub mod key;
pub mod pattern;
pub mod policy;
pub mod tags;
pub mod target;

pub use address::{DomainAddress, Duplicate, duplicates};
pub use arn::Arn;
pub use filter::Filter;
pub use ids::{AccountId, Region};
pub use key::{KeyDrift, MANAGED_KEY_ALIAS, alias_in, is_managed_alias, key_drift};
pub use pattern::{Pattern, Vars};
pub use tags::{RemovedTag, TagChange, TagDelta, TagSet, TagsMode, is_reserved_tag};
pub use target::{SkippedAccount, Target, TargetCredentials, TargetKey};
