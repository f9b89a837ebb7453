//! What templates say in the site's language: `trans(key=..., name=value)`
//! formats a message of the table (`crate::i18n`), `link` makes a link of
//! a `{url, title}` or of a URL and a `title=`, `date` writes an ISO day in
//! the language's own form, and `in_sentence` a name (of a phase of
//! support) as a sentence has it: lower case in English, as it is in
//! German.
//!
//! A message's arguments become HTML by their kind: a safe string (what
//! `trans`, `link`, a `{% set %}` block or `| safe` gave) as it is, other
//! text escaped, a `{url, title}` as a link, a list as its items joined
//! the language's way; numbers stay numbers, for plural forms.

use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::i18n::{Arg, Messages};
use crate::lifecycle::Date;

pub(super) fn register(tera: &mut Tera, messages: Arc<Messages>) {
    let for_trans = Arc::clone(&messages);
    tera.register_function("trans", move |kwargs: Kwargs, _: &State| {
        trans(&for_trans, &kwargs)
    });
    tera.register_filter("link", |value: Value, kwargs: Kwargs, _: &State| {
        link(&value, &kwargs)
    });
    let for_names = Arc::clone(&messages);
    tera.register_filter("in_sentence", move |name: &str, _: Kwargs, _: &State| {
        for_names.in_sentence(name)
    });
    tera.register_filter("date", move |value: Value, _: Kwargs, _: &State| {
        let Some(text) = value.as_str() else {
            return value;
        };
        match Date::parse(text) {
            Some(day) => Value::from(messages.date(day)),
            None => value,
        }
    });
}

fn trans(messages: &Messages, kwargs: &Kwargs) -> tera::TeraResult<Value> {
    let key: String = kwargs.must_get("key")?;
    if !messages.has(&key) {
        return Err(tera::Error::message(format!(
            "trans(): `{key}` is not a message; add it to content/i18n/{}.yaml",
            crate::i18n::primary(messages.language())
        )));
    }
    let args: Vec<(String, Value)> = (kwargs.iter())
        .filter_map(|(name, value)| Some((name.as_str()?.to_owned(), value.clone())))
        .filter(|(name, _)| name != "key")
        .collect();
    let args: Vec<(&str, Arg)> = (args.iter())
        .filter_map(|(name, value)| Some((name.as_str(), argument(messages, value)?)))
        .collect();
    Ok(Value::safe_string(&messages.html(&key, &args)))
}

/// A template value as a message's argument, or `None` for none.
fn argument<'a>(messages: &Messages, value: &Value) -> Option<Arg<'a>> {
    if value.is_none() || value.is_undefined() {
        return None;
    }
    if let Some(n) = value.as_f64().filter(|_| value.is_number()) {
        return Some(Arg::Number(n));
    }
    Some(Arg::Text(html(messages, value).into()))
}

/// A value as HTML: see the module's description.
fn html(messages: &Messages, value: &Value) -> String {
    if let Some(text) = value.as_str() {
        return if value.is_safe() {
            text.to_owned()
        } else {
            escape(text)
        };
    }
    if let Some(items) = value.as_array() {
        let separator = messages.html("list-separator", &[]);
        let items: Vec<String> = items.iter().map(|item| html(messages, item)).collect();
        return items.join(&separator);
    }
    if let (Some(url), Some(title)) = (field(value, "url"), field(value, "title")) {
        return anchor(url, &html(messages, title));
    }
    escape(&value.to_string())
}

fn field<'v>(value: &'v Value, name: &'v str) -> Option<&'v Value> {
    value.as_map()?;
    value.get_from_path(name)
}

fn link(value: &Value, kwargs: &Kwargs) -> tera::TeraResult<Value> {
    let (url, title) = match (value.as_str(), kwargs.get::<Value>("title")?) {
        (Some(url), Some(title)) => (url.to_owned(), title),
        _ => {
            let url = field(value, "url")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let title = field(value, "title").cloned().unwrap_or_else(Value::none);
            (url.to_owned(), title)
        }
    };
    let title = match title.as_str() {
        Some(text) if title.is_safe() => text.to_owned(),
        Some(text) => escape(text),
        None => escape(&title.to_string()),
    };
    Ok(Value::safe_string(&anchor(&Value::from(url), &title)))
}

fn anchor(url: &Value, title: &str) -> String {
    let url = url.as_str().map(escape).unwrap_or_default();
    format!("<a href=\"{url}\">{title}</a>")
}

fn escape(text: &str) -> String {
    crate::plan::html::escape(text)
}
