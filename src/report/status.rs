//! The words of progress: one line saying where a run is ("observing: 40/60 targets",
//! "applying: 120/306 domains done, 3 failed, 14/s, ETA 13 s"), shared by the progress bar and
//! the status lines written when stderr is no terminal.

use std::time::Duration;

/// Where the observation of targets is. `None`: the targets are still being resolved.
pub fn observing(total: Option<u64>, observed: u64) -> String {
    match total {
        None => "resolving the targets".to_string(),
        Some(total) => format!("observing: {observed}/{}", noun(total, "target", "targets")),
    }
}

/// Where apply is: domains finished out of all, failures, rate and what remains at that rate.
pub fn applying(total: u64, done: u64, failed: u64, elapsed: Duration) -> String {
    let mut line = format!(
        "applying: {done}/{} done, {failed} failed",
        noun(total, "domain", "domains")
    );
    let seconds = elapsed.as_secs_f64();
    if done > 0 && seconds > 0.0 {
        let rate = done as f64 / seconds;
        line.push_str(&format!(", {}/s", rate_text(rate)));
        if done < total {
            let left = (total - done) as f64 / rate;
            line.push_str(&format!(", ETA {}", eta(left)));
        }
    }
    line
}

/// What is in flight: how many domains, and the latest few of them.
pub fn working_on(count: usize, latest: &[String]) -> String {
    if count == 0 {
        return String::new();
    }
    let shown = latest.join(", ");
    let more = if count > latest.len() { ", …" } else { "" };
    format!("working on {count}: {shown}{more}")
}

/// `306 domains`, `1 domain`: the total's noun agrees with the total.
fn noun(total: u64, one: &str, many: &str) -> String {
    crate::text::plural(total, one, many)
}

/// Two significant figures are plenty: `0.4`, `2.5`, `14`, `230`.
fn rate_text(rate: f64) -> String {
    if rate < 10.0 {
        format!("{rate:.1}")
    } else {
        format!("{rate:.0}")
    }
}

/// `13 s`, `4 min`, `2 h 5 min`: only as precise as a guess deserves.
fn eta(seconds: f64) -> String {
    let s = seconds.ceil() as u64;
    match s {
        0..90 => format!("{s} s"),
        90..5400 => format!("{} min", s.div_ceil(60)),
        _ => format!("{} h {} min", s / 3600, (s % 3600).div_ceil(60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observing_reads_well() {
        assert_eq!(observing(None, 0), "resolving the targets");
        assert_eq!(observing(Some(60), 40), "observing: 40/60 targets");
        assert_eq!(observing(Some(1), 0), "observing: 0/1 target");
    }

    #[test]
    fn applying_reads_well() {
        let s = Duration::from_secs;
        assert_eq!(
            applying(306, 0, 0, s(2)),
            "applying: 0/306 domains done, 0 failed"
        );
        assert_eq!(
            applying(306, 120, 3, s(8)),
            "applying: 120/306 domains done, 3 failed, 15/s, ETA 13 s"
        );
        assert_eq!(
            applying(1, 1, 0, Duration::from_millis(2500)),
            "applying: 1/1 domain done, 0 failed, 0.4/s"
        );
        assert_eq!(
            applying(10_000, 100, 0, s(60)),
            "applying: 100/10000 domains done, 0 failed, 1.7/s, ETA 1 h 39 min"
        );
        assert_eq!(
            applying(100_000, 10, 0, s(60)),
            "applying: 10/100000 domains done, 0 failed, 0.2/s, ETA 166 h 39 min"
        );
    }

    #[test]
    fn working_on_names_the_latest() {
        assert_eq!(working_on(0, &[]), "");
        assert_eq!(
            working_on(2, &["a".into(), "b".into()]),
            "working on 2: a, b"
        );
        assert_eq!(
            working_on(12, &["a".into(), "b".into(), "c".into()]),
            "working on 12: a, b, c, …"
        );
    }
}
