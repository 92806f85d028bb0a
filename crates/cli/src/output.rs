//! Writing output files atomically: a temporary file beside the target, then a rename, so a
//! failed run never leaves half a file behind.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;

/// Writes what `write` produces to `path` atomically, or to stdout when `path` is `None`.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let Some(path) = path else {
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        write(&mut out)
            .and_then(|()| out.flush())
            .context("cannot write the report to stdout")?;
        return Ok(());
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".proximity-").suffix(".tmp");
    // A temporary file is private (0600); the finished output is an ordinary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let file = builder.tempfile_in(directory).with_context(|| {
        format!(
            "{}: cannot create a temporary file in {}",
            path.display(),
            directory.display()
        )
    })?;
    let mut out = BufWriter::new(file);
    write(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    let file = out
        .into_inner()
        .map_err(|error| error.into_error())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    file.as_file()
        .sync_all()
        .with_context(|| format!("{}: cannot write", path.display()))?;
    file.persist(path)
        .map_err(|error| error.error)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}
