//! A local AWS endpoint for CodeArtifact domains, STS, KMS and Organizations that verifies
//! SigV4, so that the unmodified AWS SDKs, boto3 and the aws CLI can be pointed at it
//! (`AWS_ENDPOINT_URL`).
//!
//! One port serves all four services; a request is routed by the service named in its
//! SigV4 credential scope. See `Config` for quotas, fault injection and persistence.

mod admin;
mod auth;
mod body;
mod clock;
mod codeartifact;
pub mod config;
mod connection;
mod error;
mod faults;
mod journal;
mod json11;
mod kms;
mod operation;
mod organizations;
mod protocol;
mod quota;
mod records;
mod server;
mod service;
pub mod sigv4;
mod state;
mod stats;
mod sts;

pub use auth::DEFAULT_ACCOUNT;
pub use config::{Config, Faults, Fraction, Latency, Limits, Quotas};
pub use journal::JournalError;
pub use organizations::OrganizationFileError;
pub use server::{Running, StartError, start};
