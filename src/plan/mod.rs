//! Plan: observe what exists, diff it against the manifest (a pure function), render it.

pub mod diff;
pub mod model;
pub mod render;

pub use model::{Action, Change, PLAN_FORMAT, Plan, Target, TargetCredentials};
