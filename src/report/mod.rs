//! Report: the outcome of an apply, rendered as a table for people, JSON and Markdown for CI.

pub mod model;
pub mod render;

pub use model::{DomainReport, ErrorInfo, Outcome, Report, Summary};
pub mod notice;
pub mod progress;
