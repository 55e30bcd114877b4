//! Observe: what exists in each (account, Region) — no state file, the cloud is the truth.

pub mod fetch;
pub mod live;
pub mod targets;

pub use fetch::{Environment, ObserveError, observe};
pub use live::{Blocked, KeyState, LiveDomain, LiveState, LiveTarget};
