//! Apply: the only concurrent code. Bounded fan-out, per-(account, Region) rate limits, the one
//! retry owner, and the executor that turns a plan into a report.

pub mod breaker;
pub mod executor;
pub mod gate;
pub mod interrupt;
pub mod pool;
pub mod rate_limit;
pub mod retry;

pub use executor::{Settings, apply};
pub use gate::Gate;
pub use rate_limit::{Kind, Limiter};
pub use retry::{RetryPolicy, Tried};
