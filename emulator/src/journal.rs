//! Append-only JSON-lines journal of state records: what makes acknowledged writes survive `kill -9`.

use crate::records::Record;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    // The io::Error is the `source`; repeating it here would print it twice in a cause chain.
    #[error("cannot use state directory {path}")]
    Io { path: PathBuf, source: io::Error },
    #[error("state directory {path} is in use by another running endpoint")]
    Locked { path: PathBuf },
    #[error("state journal {path} is corrupt at line {line}: {reason}")]
    Corrupt {
        path: PathBuf,
        line: usize,
        reason: String,
    },
}

pub struct Journal {
    path: PathBuf,
    file: File,
    /// Bytes of whole records in the file: a failed append is cut back to this.
    len: u64,
    /// Held for the journal's lifetime: two endpoints on one directory would each keep their
    /// own state and lose the other's writes.
    _lock: File,
}

impl Journal {
    /// Read every record of `dir/journal.jsonl`. A torn last line (the process was
    /// killed mid-write, so the write was never acknowledged) is dropped; a bad line
    /// anywhere else is corruption and refused rather than silently lost.
    pub fn open(dir: &Path) -> Result<(Vec<Record>, Self), JournalError> {
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| JournalError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let lock_path = dir.join("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(JournalError::Locked {
                    path: dir.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_err(&lock_path)(e)),
        }
        let path = dir.join("journal.jsonl");
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io_err(&path)(e)),
        };
        let records = parse(&path, &bytes)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_err(&path))?;
        let journal = Self {
            path,
            file,
            len: 0,
            _lock: lock,
        };
        Ok((records, journal))
    }

    /// Replace the journal by the records of a snapshot (atomically, by rename).
    pub fn compact(self, snapshot: &[Record]) -> Result<Self, JournalError> {
        let tmp = self.path.with_extension("jsonl.tmp");
        let err = |source| JournalError::Io {
            path: tmp.clone(),
            source,
        };
        let mut file = File::create(&tmp).map_err(err)?;
        file.write_all(&encode(snapshot)).map_err(err)?;
        file.sync_all().map_err(err)?;
        std::fs::rename(&tmp, &self.path).map_err(err)?;
        let file = OpenOptions::new()
            .append(true)
            .open(&self.path)
            .map_err(|source| JournalError::Io {
                path: self.path.clone(),
                source,
            })?;
        Ok(Self {
            path: self.path,
            file,
            len: encode(snapshot).len() as u64,
            _lock: self._lock,
        })
    }

    /// One `write` per change, so a change is either wholly in the file or torn at its end.
    /// No fsync: the promise is surviving the death of the process, not of the machine.
    pub fn append(&mut self, records: &[Record]) -> io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let bytes = encode(records);
        match self.file.write_all(&bytes) {
            Ok(()) => {
                self.len += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                // A partial line would glue itself to the next record and corrupt the journal
                // mid-file: cut it off (the change is refused, so nothing acknowledged is lost).
                let _ = self.file.set_len(self.len);
                Err(e)
            }
        }
    }
}

/// Records of a journal's bytes. A last line that is not a whole record (the process was killed
/// mid-write, so it was never acknowledged) is dropped; a bad line anywhere else is corruption,
/// refused rather than silently lost.
fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<Record>, JournalError> {
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let mut records = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Record>(line) {
            Ok(r) => records.push(r),
            Err(_) if i + 1 == lines.len() => break,
            Err(e) => {
                return Err(JournalError::Corrupt {
                    path: path.to_path_buf(),
                    line: i + 1,
                    reason: e.to_string(),
                });
            }
        }
    }
    Ok(records)
}

fn encode(records: &[Record]) -> Vec<u8> {
    let mut buf = Vec::new();
    for r in records {
        // Serialising these plain structs to a Vec cannot fail.
        if serde_json::to_writer(&mut buf, r).is_ok() {
            buf.push(b'\n');
        }
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Record;

    fn record(name: &str) -> Record {
        Record::DeleteDomain {
            owner: "111122223333".into(),
            region: "us-east-1".into(),
            name: name.into(),
        }
    }

    #[test]
    fn a_torn_last_line_is_dropped_even_mid_character() {
        let mut bytes = encode(&[record("a"), record("b")]);
        bytes.extend_from_slice(b"{\"op\":\"DeleteDomain\",\"name\":\"\xc3");
        let got = parse(Path::new("j"), &bytes).unwrap();
        assert_eq!(got, [record("a"), record("b")]);
    }

    #[test]
    fn a_bad_line_in_the_middle_is_corruption() {
        let mut bytes = encode(&[record("a")]);
        bytes.extend_from_slice(b"garbage\n");
        bytes.extend_from_slice(&encode(&[record("b")]));
        let err = parse(Path::new("j"), &bytes).unwrap_err();
        assert!(
            matches!(err, JournalError::Corrupt { line: 2, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_second_endpoint_cannot_open_the_same_directory() {
        let dir = tempfile::tempdir().unwrap();
        let (_, first) = Journal::open(dir.path()).unwrap();
        assert!(matches!(
            Journal::open(dir.path()),
            Err(JournalError::Locked { .. })
        ));
        drop(first);
        assert!(
            Journal::open(dir.path()).is_ok(),
            "free again once the first is gone"
        );
    }
}
