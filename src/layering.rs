//! The import direction docs/architecture.md promises, checked on the
//! source: every `crate::` path a module names must lead to a module of a
//! lower layer. Test code is left out (a test may build a whole site).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The crate's top-level modules, lowest first. A module may use modules of
/// the layers below its own, never one of its own layer or above.
const LAYERS: &[&[&str]] = &[
    &["safe_fs"],
    &["diag"],
    &["walk", "terminal", "layout", "lifecycle", "markdown"],
    &["i18n"],
    &["load"],
    &["model"],
    &["selector"],
    &["resolve"],
    &["graph"],
    &["plan"],
    &["render"],
    &["write"],
    // Not stages: they drive them.
    &["commands", "serve"],
];

/// Items of `lib.rs` itself that any module may use: a helper, not a stage.
/// The drivers (the last layer) may use every item there: they run the
/// stages as `lib.rs` does.
const ROOT_HELPERS: &[&str] = &["locked"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level module a source file belongs to (`plan/api.rs` -> `plan`);
/// `None` for the crate root files, which run the stages in order.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "layering")).then(|| name.to_owned())
}

/// The code of a file without its comments and without its test module
/// (by convention the last item: `#[cfg(test)]` then `mod tests`).
fn code_of(text: &str) -> String {
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod tests {"))
        {
            break;
        }
        if !trimmed.starts_with("//") {
            code.push_str(line);
            code.push('\n');
        }
    }
    code
}

/// Every name that follows `crate::` in `code`, and every name of a
/// `use crate::{a, b::c}` group.
fn crate_names(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let identifier = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for part in group.split(',') {
                names.insert(identifier(part.trim()));
            }
        } else {
            names.insert(identifier(rest));
        }
    }
    names.remove("");
    names
}

fn source_files(folder: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(folder).expect("src/ is readable");
    for entry in entries.map(|e| e.expect("src/ is readable").path()) {
        if entry.is_dir() {
            source_files(&entry, found);
        } else if entry.extension().is_some_and(|e| e == "rs") {
            found.push(entry);
        }
    }
}

/// Every use of a module that is not below the user's layer, as
/// `file: module -> module`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    source_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("below src/");
        if relative.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let Some(module) = module_of(relative) else {
            continue;
        };
        let Some(own) = layer_of(&module) else {
            found.push(format!(
                "{}: module `{module}` has no layer in LAYERS",
                relative.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("a source file is UTF-8");
        for used in crate_names(&code_of(&text)) {
            let allowed = match layer_of(&used) {
                _ if used == module => true,
                Some(layer) => layer < own,
                None => own == LAYERS.len() - 1 || ROOT_HELPERS.contains(&used.as_str()),
            };
            if !allowed {
                found.push(format!("{}: `{module}` uses `{used}`", relative.display()));
            }
        }
    }
    found
}

#[test]
fn no_module_uses_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "the stages run one way (docs/architecture.md, \"Import direction\"); \
         move the code to the stage it belongs to:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_later_stage_named_is_found() {
    let code = code_of(
        "use crate::{diag::Span, graph::Edges};\n// crate::plan in prose\nfn f() { crate::render::x(); }\n\
         #[cfg(test)]\nmod tests {\n    use crate::write;\n}\n",
    );
    let names: Vec<String> = crate_names(&code).into_iter().collect();
    assert_eq!(names, ["diag", "graph", "render"]);
}

#[test]
fn every_module_has_a_layer_and_the_root_none() {
    assert_eq!(module_of(Path::new("plan/api.rs")).as_deref(), Some("plan"));
    assert_eq!(module_of(Path::new("lib.rs")), None);
    for module in ["load", "resolve", "graph", "plan", "render", "write"] {
        assert!(layer_of(module).is_some(), "{module}");
    }
    assert!(layer_of("load") < layer_of("resolve"));
    assert!(layer_of("plan") < layer_of("render"));
}
