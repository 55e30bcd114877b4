//! Wall-clock helpers: epoch seconds, the one civil-date conversion, and the ISO 8601 forms AWS uses (no date crate needed).

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the epoch, with sub-second precision.
pub fn now_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// A UTC time of day on a proleptic Gregorian date, as the wire formats spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl DateTime {
    /// The date and time of a unix time. Total: any `i64` gives some date, so a hostile or
    /// broken clock cannot make formatting panic.
    pub fn from_unix(unix: i64) -> Self {
        let (year, month, day) = civil_from_days(unix.div_euclid(86_400));
        let secs = unix.rem_euclid(86_400);
        Self {
            year,
            month,
            day,
            hour: secs / 3_600,
            minute: secs % 3_600 / 60,
            second: secs % 60,
        }
    }

    /// The unix time, or `None` for a field out of range or a day the month does not have
    /// (`2015-02-30`), so parsers can take the fields as written and let this judge them.
    pub fn to_unix(self) -> Option<i64> {
        let Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        } = self;
        if !(1..=12).contains(&month)
            || day < 1
            || !(0..=23).contains(&hour)
            || !(0..=59).contains(&minute)
            || !(0..=59).contains(&second)
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        // Round-trip rejects impossible days such as 20150230.
        if civil_from_days(days) != (year, month, day) {
            return None;
        }
        Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }
}

/// `2026-11-29T01:41:33Z` for a unix time (STS's `Expiration`).
pub fn iso8601(unix: i64) -> String {
    let t = DateTime::from_unix(unix);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`] (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_iso8601() {
        assert_eq!(super::iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso8601(1_796_521_293), "2026-12-06T01:41:33Z");
    }
}
