//! Reading the files people hand us (manifests, saved plans): regular files only, never more
//! than a limit, so that a FIFO, a device or a huge file fails at once with a clear error
//! instead of blocking or filling memory.

use std::io::Read;
use std::path::Path;

#[derive(Debug)]
pub enum ReadError {
    /// A FIFO, a device, a directory or a socket (after following symlinks).
    NotAFile(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

/// The whole file at `path`, which must be a regular file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Asked before opening: opening a FIFO blocks until someone writes to it.
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // The file may grow between the check and the read: never read more than the limit + 1.
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { size, limit } => {
                write!(f, "it is larger than {limit} bytes ({size} at least)")
            }
            ReadError::Io(e) => e.fmt(f),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(matches!(
            read_limited(&fifo, 10),
            Err(ReadError::NotAFile("a FIFO"))
        ));
        assert!(matches!(
            read_limited(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile("a device"))
        ));
        assert!(matches!(
            read_limited(dir.path(), 10),
            Err(ReadError::NotAFile("a directory"))
        ));
        let big = dir.path().join("big.json");
        std::fs::write(&big, "0123456789ab").unwrap();
        assert!(matches!(
            read_limited(&big, 10),
            Err(ReadError::TooLarge {
                size: 12,
                limit: 10
            })
        ));
        assert_eq!(read_limited(&big, 12).unwrap().len(), 12);
    }
}
