//! How every AWS call is made, whichever stage makes it: the environment (clients per target),
//! the gate (pacing and ceiling per target, then the one retry owner), circuit breakers and the
//! failure tolerance, interrupts, and the one bounded pool that decides how many run at once.

pub mod breaker;
pub mod env;
pub mod gate;
pub mod interrupt;
pub mod log;
pub mod observer;
pub mod pace;
pub mod pool;
pub mod retry;

pub use env::Environment;
pub use gate::Gate;
pub use observer::{Attempt, Observer};
pub use pace::{Kind, Limiter};
pub use retry::{RetryPolicy, Tried};
