//! Accounts from AWS Organizations: fetch the part of the organisation the manifest's selectors
//! need ([`fetch`]), then choose from it ([`select`], pure).

mod fetch;
mod select;
mod tree;

pub use fetch::{describe, discover};
pub use select::{Chosen, choose, units};
pub use tree::{OrgAccount, OrgTree, Unit};
