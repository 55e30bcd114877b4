//! When a signature is valid: the `x-amz-date` format, the ±15 minutes of clock skew, and presigned URL expiry.

use super::error::{AuthError, incomplete, quote};
use super::query::query_param;
use super::{Claim, RequestParts};
use crate::clock::DateTime;

/// AWS rejects requests whose time is more than 15 minutes away from its own clock.
const MAX_SKEW_SECS: i64 = 15 * 60;
/// Presigned URLs may live at most seven days (the SigV4 limit).
const MAX_PRESIGN_EXPIRES_SECS: i64 = 7 * 24 * 60 * 60;

/// Converts an `x-amz-date` (`20261129T014133Z`) to unix seconds; `None` if malformed.
pub fn amz_date_to_unix(amz_date: &str) -> Option<i64> {
    let b = amz_date.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = amz_date.get(range)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    DateTime {
        year: digits(0..4)?,
        month: digits(4..6)?,
        day: digits(6..8)?,
        hour: digits(9..11)?,
        minute: digits(11..13)?,
        second: digits(13..15)?,
    }
    .to_unix()
}

/// Formats unix seconds as an `x-amz-date` (`20261129T014133Z`).
pub fn unix_to_amz_date(unix: i64) -> String {
    let t = DateTime::from_unix(unix);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// Checks the claimed time against its scope date and the server clock (`now_unix`): a
/// header-signed request must be within the skew allowance, a presigned URL within its expiry.
pub(super) fn check_time(
    parts: &RequestParts,
    claim: &Claim,
    presigned: bool,
    now_unix: i64,
) -> Result<(), AuthError> {
    let request_time = amz_date_to_unix(&claim.amz_date).ok_or_else(|| {
        incomplete(format!(
            "x-amz-date {} is not in the basic ISO 8601 format YYYYMMDD'T'HHMMSS'Z'",
            quote(&claim.amz_date)
        ))
    })?;
    if claim.amz_date.get(..8) != Some(claim.date.as_str()) {
        return Err(AuthError::ScopeMismatch(format!(
            "credential scope date {} does not match the x-amz-date day {}",
            quote(&claim.date),
            quote(claim.amz_date.get(..8).unwrap_or_default())
        )));
    }

    let (earliest, latest) = if presigned {
        let expires = presigned_expires(parts.raw_query.unwrap_or_default())?;
        // Presigned URLs are valid from their signing time (with the usual skew allowance for
        // clocks running ahead) until their expiry.
        (
            request_time.saturating_sub(MAX_SKEW_SECS),
            request_time.saturating_add(expires),
        )
    } else {
        (
            request_time.saturating_sub(MAX_SKEW_SECS),
            request_time.saturating_add(MAX_SKEW_SECS),
        )
    };
    if now_unix < earliest || now_unix > latest {
        return Err(AuthError::Expired {
            request_time: claim.amz_date.clone(),
            server_time: unix_to_amz_date(now_unix),
        });
    }
    Ok(())
}

/// The lifetime a presigned URL claims (`X-Amz-Expires`), within SigV4's limit.
pub(super) fn presigned_expires(raw_query: &str) -> Result<i64, AuthError> {
    let raw = query_param(raw_query, "X-Amz-Expires")?
        .ok_or_else(|| incomplete("presigned URL is missing X-Amz-Expires"))?;
    match raw.parse::<i64>() {
        Ok(secs) if (1..=MAX_PRESIGN_EXPIRES_SECS).contains(&secs) => Ok(secs),
        _ => Err(incomplete(format!(
            "X-Amz-Expires {} must be a number of seconds between 1 and {MAX_PRESIGN_EXPIRES_SECS}",
            quote(&raw)
        ))),
    }
}
