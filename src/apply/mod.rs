//! Apply: carry out a plan's steps, concurrently through the call layer, and say what became of
//! each declared key and domain. The create's outcome is a pure decision (`create`); the executor
//! makes calls (`keys.rs`: the keys the manifest declares).

mod advice;
pub mod create;
pub mod events;
pub mod executor;
mod keys;
pub mod outcome;
mod schedule;

pub use events::Events;
pub use executor::{Applied, Settings, apply};
pub use outcome::{Cause, DomainReport, ErrorInfo, KeyOutcome, KeyReport, Outcome};
