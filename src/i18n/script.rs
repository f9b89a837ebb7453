//! The scripts' messages, compiled to a form a few lines of `common.js`
//! format: a pattern is a string, or a list of parts, each a string, a
//! variable (`{"v": name}`) or a choice on one (`{"s": name, "o": [[key,
//! pattern], ...], "d": index of the default}`). A choice's key is a
//! number or a plural category (`one`, `other`...), which the script picks
//! with the browser's `Intl.PluralRules` for the page's language.

use fluent_bundle::FluentResource;
use fluent_syntax::ast::{self, Expression, InlineExpression, PatternElement, VariantKey};
use serde_json::{Value, json};

pub type ScriptPattern = Value;

/// Whether a pattern has no placeable: it formats the same every time.
pub fn is_fixed(pattern: &str) -> bool {
    !pattern.contains('{')
}

/// The pattern compiled; one that uses what scripts cannot format (a
/// function, a term) keeps its text, braces and all, and `check` says so.
pub fn compile(pattern: &str) -> ScriptPattern {
    let Ok(resource) = FluentResource::try_new(super::table::ftl("m", pattern)) else {
        return Value::String(pattern.to_owned());
    };
    let value = resource.entries().find_map(|entry| match entry {
        ast::Entry::Message(message) => message.value.as_ref().map(parts),
        _ => None,
    });
    value.unwrap_or_else(|| Value::String(pattern.to_owned()))
}

/// Why the scripts cannot format a pattern, if they cannot.
pub fn unsupported(pattern: &str) -> Option<String> {
    let compiled = compile(pattern);
    (!supported(&compiled)).then(|| {
        "the scripts format only text, `{ $variable }` and choices on a variable".to_owned()
    })
}

fn supported(compiled: &Value) -> bool {
    match compiled {
        Value::String(_) => true,
        Value::Array(parts) => parts.iter().all(supported),
        Value::Object(part) => {
            part.get("unsupported").is_none()
                && (part.get("o").and_then(Value::as_array))
                    .is_none_or(|options| options.iter().all(|o| supported(&o[1])))
        }
        _ => true,
    }
}

fn parts(pattern: &ast::Pattern<&str>) -> Value {
    let parts: Vec<Value> = pattern.elements.iter().map(element).collect();
    match parts.as_slice() {
        [Value::String(text)] => Value::String(text.clone()),
        _ => Value::Array(parts),
    }
}

fn element(element: &PatternElement<&str>) -> Value {
    match element {
        PatternElement::TextElement { value } => Value::String((*value).to_owned()),
        PatternElement::Placeable { expression } => placeable(expression),
    }
}

fn placeable(expression: &Expression<&str>) -> Value {
    match expression {
        Expression::Inline(inline) => inline_part(inline),
        Expression::Select { selector, variants } => {
            let InlineExpression::VariableReference { id } = selector else {
                return json!({"unsupported": true});
            };
            let options: Vec<Value> = variants
                .iter()
                .map(|variant| {
                    let key = match &variant.key {
                        VariantKey::Identifier { name } => (*name).to_owned(),
                        VariantKey::NumberLiteral { value } => (*value).to_owned(),
                    };
                    json!([key, parts(&variant.value)])
                })
                .collect();
            let default = variants.iter().position(|v| v.default).unwrap_or(0);
            json!({"s": id.name, "o": options, "d": default})
        }
    }
}

fn inline_part(inline: &InlineExpression<&str>) -> Value {
    match inline {
        InlineExpression::VariableReference { id } => json!({"v": id.name}),
        InlineExpression::StringLiteral { value } => Value::String((*value).to_owned()),
        InlineExpression::NumberLiteral { value } => Value::String((*value).to_owned()),
        InlineExpression::Placeable { expression } => placeable(expression),
        _ => json!({"unsupported": true}),
    }
}

/// The variables a pattern uses, by name.
pub fn variables(pattern: &str) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    collect_variables(&compile(pattern), &mut found);
    found
}

fn collect_variables(compiled: &Value, found: &mut std::collections::BTreeSet<String>) {
    match compiled {
        Value::Array(parts) => parts.iter().for_each(|p| collect_variables(p, found)),
        Value::Object(part) => {
            for name in ["v", "s"] {
                if let Some(Value::String(name)) = part.get(name) {
                    found.insert(name.clone());
                }
            }
            if let Some(Value::Array(options)) = part.get("o") {
                options.iter().for_each(|o| collect_variables(&o[1], found));
            }
        }
        _ => {}
    }
}
