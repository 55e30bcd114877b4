//! Report: the outcome of an apply, rendered as a table for people, JSON and Markdown for CI,
//! and the progress shown while it runs.

pub mod event_log;
pub mod events;
pub mod model;
pub mod notice;
pub mod progress;
pub mod render;
pub mod since_plan;
pub mod status;

pub use model::{REPORT_FORMAT, Report, ReportTarget, Summary};
