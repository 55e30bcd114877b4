//! Plan: the pure diff of the resolved manifest against the live state, the plan as plain data
//! (entries of typed steps), its renderers (human, JSON) and saved plans.

pub mod bind;
pub mod diff;
pub mod model;
pub mod quota;
pub mod render;
pub mod saved;
pub mod text_diff;

pub use diff::diff;
pub use model::{
    Action, CreateKey, Entry, Finding, FoundKey, KeyEntry, PLAN_FORMAT, Plan, Step, StepKind,
};
pub use saved::{PlanError, bind, load};
