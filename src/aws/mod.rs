//! The AWS side: SDK configuration per (account, Region) with the standard credential chain,
//! and SDK errors turned into one plain `CallError` whose kind is decided here, once.

pub mod advice;
pub mod endpoint;
pub mod error;
mod http;
pub mod kind;
pub mod profiles;
pub mod session;
pub mod wire;

pub use error::CallError;
pub use kind::ErrorKind;
pub use session::{Clients, Connection};
