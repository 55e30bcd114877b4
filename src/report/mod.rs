//! Report: the outcome of an apply, rendered as a table for people, JSON and Markdown for CI,
//! and the progress shown while it runs.

pub mod model;
pub mod notice;
pub mod progress;
pub mod render;

pub use model::{REPORT_FORMAT, Report, ReportTarget, Summary};
