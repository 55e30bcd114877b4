//! Writes the event stream as things happen: it hears the call layer's observer hook and apply's
//! events, and writes each as one line, flushed at once, through `output`.

use super::events::{Call, Domain, Event, Format, Line};
use crate::apply::{DomainReport, Events};
use crate::call::{Attempt, Observer};
use crate::output::LineFile;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

pub struct EventLog {
    file: LineFile,
    /// A write failed (disk full, file removed): said once, then the run goes on without it.
    broken: AtomicBool,
}

impl EventLog {
    /// Create the file and write the first line, naming the command.
    pub fn create(path: &Path, command: &str) -> std::io::Result<Self> {
        let log = Self {
            file: LineFile::create(path)?,
            broken: AtomicBool::new(false),
        };
        let start = Event::Start {
            command: command.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        };
        log.file.line(&to_line(start))?;
        Ok(log)
    }

    fn write(&self, event: Event) {
        if self.broken.load(Ordering::Relaxed) {
            return;
        }
        if let Err(e) = self.file.line(&to_line(event))
            && !self.broken.swap(true, Ordering::Relaxed)
        {
            crate::output::stderr(&format!("warning: the event stream stopped: {e}\n"), false);
        }
    }
}

fn to_line(event: Event) -> String {
    let line = Line {
        format: Format::V1,
        time: now(),
        event,
    };
    // Plain data with string keys: serialising it cannot fail.
    serde_json::to_string(&line).unwrap_or_default()
}

/// RFC 3339 in UTC to the millisecond, as the report writes its times.
fn now() -> String {
    super::model::utc(SystemTime::now())
}

impl Observer for EventLog {
    fn attempted(&self, a: &Attempt<'_>) {
        self.write(Event::Call(Call {
            service: a.service.to_string(),
            operation: a.operation.to_string(),
            account: a.target.account.to_string(),
            region: a.target.region.to_string(),
            status: a.status,
            error: a.error.map(|e| e.kind),
            code: a.error.and_then(|e| e.code.clone()),
            request_id: a.request_id.map(str::to_string),
            latency_ms: (a.latency.as_secs_f64() * 1e6).round() / 1e3,
            attempt: a.number,
        }));
    }
}

impl Events for EventLog {
    fn finished(&self, report: &DomainReport) {
        let address = &report.address;
        self.write(Event::Domain(Domain {
            address: address.to_string(),
            account: address.account.to_string(),
            region: address.region.to_string(),
            name: address.name.to_string(),
            outcome: report.outcome,
            reason: report.error.as_ref().map(|e| e.message.clone()),
        }));
    }
}
