//! Request bodies, read incrementally within a size limit, a deadline and a byte budget shared by all connections.

use crate::config::Limits;
use crate::error::ApiError;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Incoming};
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::time::{Instant, timeout_at};

/// Bytes that may still be buffered. Without it, every stalled body could hold up to the
/// size limit and a thousand of them a gigabyte.
pub struct Budget {
    left: AtomicUsize,
}

impl Budget {
    pub fn new(bytes: usize) -> Self {
        Self {
            left: AtomicUsize::new(bytes),
        }
    }
}

/// Bytes taken from the budget, given back when the request is done with its body.
pub struct Held<'a> {
    budget: &'a Budget,
    bytes: usize,
}

impl Held<'_> {
    fn take(&mut self, bytes: usize) -> bool {
        let taken = self
            .budget
            .left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
                left.checked_sub(bytes)
            })
            .is_ok();
        if taken {
            self.bytes += bytes;
        }
        taken
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.budget.left.fetch_add(self.bytes, Ordering::AcqRel);
    }
}

/// The whole body, and the budget it holds. Memory is taken as the bytes arrive, never as the
/// `Content-Length` announces, so a client that announces much and sends little holds little.
pub async fn read<'a>(
    mut body: Incoming,
    limits: &Limits,
    budget: &'a Budget,
) -> Result<(Bytes, Held<'a>), ApiError> {
    let max = limits.max_body;
    let too_large = || {
        ApiError::new(
            413,
            "RequestEntityTooLargeException",
            format!("The request body is larger than {max} bytes or was cut off"),
        )
    };
    if body.size_hint().lower() > max as u64 {
        return Err(too_large());
    }
    let deadline = Instant::now() + limits.body_timeout;
    let mut held = Held { budget, bytes: 0 };
    let mut buf = Vec::new();
    loop {
        let frame = match timeout_at(deadline, body.frame()).await {
            Err(_) => {
                return Err(ApiError::new(
                    408,
                    "RequestTimeoutException",
                    format!(
                        "The request body was not received within {} s",
                        limits.body_timeout.as_secs_f64()
                    ),
                ));
            }
            Ok(None) => break,
            Ok(Some(Err(_))) => return Err(too_large()),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(chunk) = frame.into_data() else {
            continue; // trailers: nothing the services read
        };
        let len = buf.len() + chunk.len();
        if len > max {
            return Err(too_large());
        }
        if len > buf.capacity() {
            // Grow by doubling, as Vec would, but pay for the capacity rather than the length.
            let capacity = len.max(buf.capacity() * 2).min(max);
            if !held.take(capacity - buf.capacity()) {
                return Err(ApiError::new(
                    503,
                    "ServiceUnavailableException",
                    "The endpoint is buffering as many request bodies as it may; retry",
                ));
            }
            buf.reserve_exact(capacity - buf.len());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok((Bytes::from(buf), held))
}
