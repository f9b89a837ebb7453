//! Components and what depends on them.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::diag::Span;
use crate::load::{RawComponent, RawDoc, S};
use crate::model::*;
use crate::selector::is_product_id;

impl Resolver {
    pub(super) fn components(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawComponent>>]) {
        let mut docs: Vec<&RawDoc<RawComponent>> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for doc in raw {
            if !is_product_id(&doc.id) {
                self.broken.components.insert(doc.id.clone());
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("`{}` is not a valid component id", shorten(&doc.id)),
                    )
                    .with_hint(
                        "a component id is its file name: lowercase letters, digits and `-`",
                    ),
                );
            } else if let Some(problem) = id_problem(&doc.id) {
                self.broken.components.insert(doc.id.clone());
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("component id {problem}"),
                    )
                    .with_hint(format!("a component id is its file name; {}", id_hint())),
                );
            } else if !seen.insert(doc.id.as_str()) {
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("component `{}` is defined twice", doc.id),
                    )
                    .with_hint("two files give it (`.yaml` and `.yml`): keep one"),
                );
            } else {
                docs.push(doc);
            }
        }
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        for doc in &docs {
            model.components.push(Component {
                id: doc.id.clone(),
                name: self.one_line(&doc.file, &doc.value.name, "the component's name"),
                summary: self.markdown(&doc.file, &doc.value.summary),
                depends_on: Vec::new(),
                dependents: Vec::new(),
                file: doc.file.clone(),
            });
        }
        for (index, doc) in docs.iter().enumerate() {
            let depends_on = self.component_refs(model, &doc.file, &doc.value.depends_on);
            model.components[index].depends_on = depends_on;
        }
        self.dependents(model);
    }

    pub(super) fn component_refs(
        &mut self,
        model: &Model,
        file: &Path,
        raw: &Option<Vec<S<String>>>,
    ) -> Vec<usize> {
        let mut found = Vec::new();
        for id in raw.iter().flatten() {
            match model.component_index(&id.value) {
                Some(index) => found.push(index),
                None if self.broken.components.contains(&id.value) => {}
                None => {
                    let hint = component_hint(model, &id.value);
                    self.report(
                        Diagnostic::error(
                            span(file, id),
                            format!("unknown component `{}`", id.value),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Every component that depends on each one, directly or through others.
    pub(super) fn dependents(&mut self, model: &mut Model) {
        let count = model.components.len();
        let mut direct: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (component, entry) in model.components.iter().enumerate() {
            for &dependency in &entry.depends_on {
                direct[dependency].push(component);
            }
        }
        // Dependents reach all the way down, so a chain of n components
        // has n(n-1)/2 of them: their count is limited, and counted as found.
        let mut total = 0usize;
        for start in 0..count {
            let mut found = BTreeSet::new();
            let mut stack = vec![start];
            while let Some(current) = stack.pop() {
                for &other in &direct[current] {
                    if found.insert(other) {
                        stack.push(other);
                    }
                }
                if total + found.len() > MAX_DEPENDENTS {
                    let component = &model.components[start];
                    let message = format!(
                        "with the components that depend on `{}`, directly or not, the components have more than {MAX_DEPENDENTS} dependents in all",
                        component.id
                    );
                    let hint = format!(
                        "a long chain of `depends_on` makes every component depend on all before it; list only the dependencies that matter for issues; {LIMITS_DOC}"
                    );
                    self.report(
                        Diagnostic::error(Span::file_start(&component.file), message)
                            .with_hint(hint),
                    );
                    for component in &mut model.components {
                        component.dependents = Vec::new();
                    }
                    return;
                }
            }
            total += found.len();
            if found.contains(&start) {
                let component = &model.components[start];
                self.report(
                    Diagnostic::error(
                        Span::file_start(&component.file),
                        format!("component `{}` depends on itself", component.id),
                    )
                    .with_hint("follow its `depends_on` chain and break the cycle"),
                );
                found.remove(&start);
            }
            model.components[start].dependents = found.into_iter().collect();
        }
    }
}
