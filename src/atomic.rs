//! Replacing a file atomically and durably: write a temporary file in the
//! same directory, fsync it, rename it over the target, fsync the directory.
//! A reader sees the old file or the whole new one, never a part; a crash
//! or an error on the way leaves the old file as it was (the temporary file
//! is removed when dropped uncommitted).

use std::fs::{File, Permissions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A file being written in place of `path`; [`AtomicFile::commit`] puts it there.
pub struct AtomicFile {
    path: PathBuf,
    dir: PathBuf,
    out: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Start a replacement of `path`, created with `mode` (less the umask):
    /// 0o600 for private files, 0o666 for what the user shares.
    pub fn create(path: &Path, mode: u32) -> io::Result<AtomicFile> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .permissions(Permissions::from_mode(mode))
            .tempfile_in(&dir)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            dir,
            out: BufWriter::with_capacity(64 * 1024, tmp),
        })
    }

    /// Flush, fsync, rename over the target, fsync the directory.
    pub fn commit(self) -> io::Result<()> {
        let tmp = self.out.into_inner().map_err(|err| err.into_error())?;
        tmp.as_file().sync_all()?;
        tmp.persist(&self.path).map_err(|err| err.error)?;
        File::open(&self.dir).and_then(|dir| dir.sync_all())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Replace `path` with `bytes`, atomically and durably.
pub fn write(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut file = AtomicFile::create(path, mode)?;
    file.write_all(bytes)?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ics");
        std::fs::write(&path, "old").unwrap();
        let mut file = AtomicFile::create(&path, 0o644).unwrap();
        file.write_all(b"new, half").unwrap();
        drop(file);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        write(&path, b"new", 0o644).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
        assert!(AtomicFile::create(&dir.path().join("no/such/dir/x"), 0o644).is_err());
    }
}
