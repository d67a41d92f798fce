//! Where `run -o` writes, so that the named file never holds a partial output and nothing but
//! the output is ever replaced:
//! - a regular file (or a name not there yet) is written to a temporary file beside it and
//!   renamed over it at the end, with the mode a new file would get (0666 less the umask) or
//!   the mode the existing file had; a symbolic link keeps pointing where it did;
//! - anything else (a device such as `/dev/null`, a FIFO, a socket, `/dev/stdout`) is written to
//!   directly: renaming over it would replace the device with a regular file;
//! - on SIGINT or SIGTERM the temporary file is removed and the process exits 130 or 143.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An output that could not be opened or completed, with its path.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: is a directory")]
    Directory { path: PathBuf },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TargetError + '_ {
    move |source| TargetError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An open output: write to it, then [`Output::finish`] it.
pub enum Output {
    Stdout(BufWriter<std::io::Stdout>),
    /// A device, FIFO or socket, written in place.
    Direct {
        path: PathBuf,
        file: BufWriter<File>,
    },
    /// A temporary file renamed over `path` by `finish`.
    Replace {
        path: PathBuf,
        file: BufWriter<tempfile::NamedTempFile>,
    },
}

/// Temporary files to remove if a signal ends the process.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

impl Output {
    /// Opens `path` (`None` or `-`: standard output) for writing as described in the module.
    pub fn create(path: Option<&Path>) -> Result<Output, TargetError> {
        let path = match path {
            None => return Ok(Output::Stdout(BufWriter::new(std::io::stdout()))),
            Some(p) if p == Path::new("-") => {
                return Ok(Output::Stdout(BufWriter::new(std::io::stdout())))
            }
            Some(p) => p,
        };
        let existing = match std::fs::metadata(path) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(path)(e)),
        };
        if let Some(m) = &existing {
            let t = m.file_type();
            if t.is_dir() {
                return Err(TargetError::Directory {
                    path: path.to_path_buf(),
                });
            }
            if t.is_char_device() || t.is_block_device() || t.is_fifo() || t.is_socket() {
                let file = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(io(path))?;
                return Ok(Output::Direct {
                    path: path.to_path_buf(),
                    file: BufWriter::new(file),
                });
            }
        }
        // A link to a regular file: replace the file it points to, keep the link.
        let target = match &existing {
            Some(_) => std::fs::canonicalize(path).map_err(io(path))?,
            None => path.to_path_buf(),
        };
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // Created as 0666 so the kernel applies the umask, as for any new file.
        let tmp = tempfile::Builder::new()
            .prefix(".whosaid-")
            .permissions(std::fs::Permissions::from_mode(0o666))
            .tempfile_in(dir)
            .map_err(io(dir))?;
        if let Some(m) = &existing {
            let mode = m.permissions().mode() & 0o7777;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(io(tmp.path()))?;
        }
        install_signal_cleanup();
        PENDING
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(tmp.path().to_path_buf());
        Ok(Output::Replace {
            path: target,
            file: BufWriter::new(tmp),
        })
    }

    /// Flushes, and for a replaced file renames the temporary file over the target.
    pub fn finish(self) -> Result<(), TargetError> {
        match self {
            Output::Stdout(mut w) => w.flush().map_err(io(Path::new("standard output"))),
            Output::Direct { path, mut file } => file.flush().map_err(io(&path)),
            Output::Replace { path, file } => {
                let tmp = file.into_inner().map_err(|e| io(&path)(e.into_error()))?;
                let tmp_path = tmp.path().to_path_buf();
                let done = tmp.persist(&path).map_err(|e| io(&path)(e.error));
                PENDING
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .retain(|p| p != &tmp_path);
                done.map(|_| ())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::Direct { file, .. } => file.write(buf),
            Output::Replace { file, .. } => file.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::Direct { file, .. } => file.flush(),
            Output::Replace { file, .. } => file.flush(),
        }
    }
}

/// On SIGINT or SIGTERM: remove the pending temporary files, exit 128 + the signal number.
fn install_signal_cleanup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(sig) = signals.forever().next() {
                for p in PENDING.lock().unwrap_or_else(|p| p.into_inner()).iter() {
                    let _ = std::fs::remove_file(p);
                }
                // Exit at once, without running destructors other threads are using.
                unsafe { libc::_exit(128 + sig) };
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        let mut o = Output::create(Some(path)).unwrap();
        o.write_all(text.as_bytes()).unwrap();
        o.finish().unwrap();
    }

    #[test]
    fn a_new_file_gets_the_mode_of_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write(&p, "a\n");
        // Read, not set: umask is per process and tests run in parallel.
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
            .unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !umask);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a\n");
    }

    #[test]
    fn an_existing_file_keeps_its_mode_and_no_temporary_file_remains() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(&p, "new");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_link_is_kept_and_its_file_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&link, "new");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = Output::create(Some(dir.path())).err().unwrap();
        assert!(err.to_string().contains("is a directory"), "{err}");
    }
}
