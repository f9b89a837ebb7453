//! Embeds the built-in theme (templates/) into the binary, and fails the
//! compile when a template does not parse.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("templates");
    println!("cargo:rerun-if-changed=templates");
    let mut templates = Vec::new();
    let mut assets = Vec::new();
    for path in files(&root) {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if name.starts_with("assets/") {
            assets.push((name, path));
        } else {
            templates.push((name, path));
        }
    }

    // The same filter and function names the renderer registers, so that
    // templates using them parse here as they will at run time.
    let mut tera = tera::Tera::new();
    tera.register_filter(
        "markdown",
        |text: &str, _: tera::Kwargs, _: &tera::State| text.to_owned(),
    );
    tera.register_function("url", |_: tera::Kwargs, _: &tera::State| String::new());
    tera.register_function("trans", |_: tera::Kwargs, _: &tera::State| String::new());
    for filter in ["link", "date", "in_sentence"] {
        tera.register_filter(filter, |text: &str, _: tera::Kwargs, _: &tera::State| {
            text.to_owned()
        });
    }
    let sources: Vec<(String, String)> = templates
        .iter()
        .map(|(name, path)| (name.clone(), std::fs::read_to_string(path).unwrap()))
        .collect();
    if let Err(error) =
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
    {
        panic!("a built-in template does not parse:\n{error}");
    }

    let mut code = String::from(
        "/// Built-in templates: (name, text).\npub const TEMPLATES: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &templates {
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n/// Built-in assets: (path below assets/, bytes).\npub const ASSETS: &[(&str, &[u8])] = &[\n");
    for (name, path) in &assets {
        let below = name.trim_start_matches("assets/");
        writeln!(
            code,
            "    ({below:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("theme.rs");
    std::fs::write(out, code).unwrap();
}
