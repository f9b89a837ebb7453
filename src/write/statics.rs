//! Copying `content/static/` into the site. The load opened each file to
//! check it; here it is read again to be written, so a file that went away
//! or lost its permissions since is a located error, never a file the site
//! silently lacks.

use std::io::Read;

use crate::diag::Diagnostic;
use crate::load::StaticFile;
use crate::render::OutputFile;
use crate::safe_fs::{Links, open_regular};

/// Where the file stands in the site, with `/` between its parts.
pub fn site_path(file: &StaticFile) -> String {
    file.target.to_string_lossy().replace('\\', "/")
}

/// The file as the site holds it, at its path below `static/`.
pub fn read_static(file: &StaticFile) -> Result<OutputFile, Diagnostic> {
    let mut bytes = Vec::new();
    // The walk of content/ checked where a link leads, as for every file.
    open_regular(&file.path, Links::Follow)
        .and_then(|mut opened| opened.read_to_end(&mut bytes))
        .map_err(|error| {
            Diagnostic::error_at_path(&file.file, format!("cannot read: {error}"))
                .with_hint("it was readable when the build began: check that nothing else changes content/static/ during a build")
        })?;
    Ok(OutputFile::data(site_path(file), bytes))
}
