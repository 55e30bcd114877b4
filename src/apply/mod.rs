//! Apply: carry out a plan's steps, concurrently through the call layer, and say what became of
//! each domain. The create's outcome is a pure decision (`create`); the executor makes calls.

pub mod create;
pub mod events;
pub mod executor;
pub mod outcome;

pub use events::Events;
pub use executor::{Applied, Settings, apply};
pub use outcome::{Cause, DomainReport, ErrorInfo, Outcome};
