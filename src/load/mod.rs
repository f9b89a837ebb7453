//! Stage 1, load: `content/` -> raw documents with source spans.
//!
//! Walks the content folder in sorted order, reads every YAML file into the
//! typed raw structures below (unknown fields refused), and keeps each file's
//! text so that later stages and the error printer can point into it. Nothing
//! here knows what an id means; that is `resolve`'s job.

mod raw;
#[cfg(test)]
mod tests;
mod walk;
mod yaml;

pub use raw::*;
pub use walk::{LoadCache, load, load_cached, load_files};
use yaml::*;
pub use yaml::{MAX_ALIAS_EXPANSIONS, MAX_REPLAYED_EVENTS};

pub use crate::safe_fs::MAX_FILE_BYTES;
