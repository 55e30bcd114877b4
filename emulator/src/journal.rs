//! Append-only JSON-lines journal of state records: what makes acknowledged writes survive `kill -9`.

use crate::state::Record;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot use state directory {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
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
        let path = dir.join("journal.jsonl");
        let mut records = Vec::new();
        if path.exists() {
            let file = File::open(&path).map_err(io_err(&path))?;
            let lines: Vec<String> = BufReader::new(file)
                .lines()
                .collect::<Result<_, _>>()
                .map_err(io_err(&path))?;
            let count = lines.len();
            for (i, line) in lines.iter().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Record>(line) {
                    Ok(r) => records.push(r),
                    Err(_) if i + 1 == count => break,
                    Err(e) => {
                        return Err(JournalError::Corrupt {
                            path,
                            line: i + 1,
                            reason: e.to_string(),
                        });
                    }
                }
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_err(&path))?;
        Ok((records, Self { path, file }))
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
        })
    }

    /// One `write` per change, so a change is either wholly in the file or torn at its end.
    /// No fsync: the promise is surviving the death of the process, not of the machine.
    pub fn append(&mut self, records: &[Record]) -> io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.file.write_all(&encode(records))
    }
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
