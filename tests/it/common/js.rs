//! Reading the JavaScript the data files are made of: single-quoted strings
//! (`JSON.parse('…')`, the finder's arrays of issue HTML), as an engine
//! reads them.

/// The text of the single-quoted string `literal` starts with, and what
/// follows it. Panics on anything a JavaScript engine would refuse.
pub fn take_string(literal: &str) -> (String, &str) {
    let inner = literal
        .strip_prefix('\'')
        .unwrap_or_else(|| panic!("no string at {:.40}", literal));
    let mut text = String::new();
    let mut chars = inner.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\'' => return (text, &inner[at + 1..]),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => panic!("a raw line break in a string"),
            '\\' => match chars.next().map(|(_, escaped)| escaped) {
                Some('n') => text.push('\n'),
                Some('r') => text.push('\r'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                    let code = u32::from_str_radix(&hex, 16).expect("four hex digits");
                    text.push(char::from_u32(code).expect("a character"));
                }
                Some(other) => text.push(other),
                None => panic!("a string ends in a backslash"),
            },
            _ => text.push(c),
        }
    }
    panic!("an unterminated string: {:.40}", literal)
}

/// The whole of `literal`, one single-quoted string.
pub fn string(literal: &str) -> String {
    let (text, rest) = take_string(literal);
    assert!(rest.is_empty(), "more after the string: {rest:.40}");
    text
}

/// `['…','…']`, an array of single-quoted strings.
pub fn strings(array: &str) -> Vec<String> {
    let mut rest = array.strip_prefix('[').expect("an array");
    let mut items = Vec::new();
    while !rest.starts_with(']') {
        let (item, after) = take_string(rest);
        items.push(item);
        rest = after.strip_prefix(',').unwrap_or(after);
    }
    assert_eq!(rest, "]", "more after the array");
    items
}

/// The JSON text in a data script's `JSON.parse('…')`.
pub fn parsed_json(script: &str) -> String {
    let start = script.find("JSON.parse(").expect("JSON.parse") + "JSON.parse(".len();
    let end = script.rfind(')').expect("a closing parenthesis");
    string(&script[start..end])
}
