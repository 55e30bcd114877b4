//! The AWS side: SDK configuration per (account, Region) with the standard credential chain,
//! and SDK errors turned into one plain `CallError` that the retry owner can classify.

pub mod error;
pub mod session;

pub use error::CallError;
pub use session::{Clients, Connection};
