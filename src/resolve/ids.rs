//! What ids, page paths, dates and URLs may be.

pub(super) use crate::layout::PAGE_FILE;
/// The top-level names of the generated site, which `content/static/` may not use.
pub(super) use crate::layout::TOP_LEVEL as GENERATED;

pub(super) fn is_scenario_segment(segment: &str) -> bool {
    let mut chars = segment.chars();
    segment != PAGE_FILE
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// `YYYY-MM-DD`, and a day the calendar has (`2024-02-29`, not `2023-02-29`).
pub(super) fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(year, 4), number(month, 2), number(day, 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The longest id, alias, condition name or scenario path segment, in
/// characters: every id becomes a folder name in the site, and file
/// systems allow 255 bytes.
pub const MAX_ID_CHARS: usize = 100;

/// The longest scenario id, folders included.
pub const MAX_SCENARIO_ID_CHARS: usize = 200;

/// Names Windows keeps for devices, with or without an extension: a page
/// folder of such a name cannot be made there.
pub(super) const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why an id (already of the right characters) cannot name a folder of the
/// site everywhere: too long, a Windows device name, or ending in a dot,
/// which Windows drops. Starts with the id, for "version id …".
pub fn id_problem(id: &str) -> Option<String> {
    let length = id.chars().count();
    if length > MAX_ID_CHARS {
        return Some(format!(
            "`{}` is {length} characters long; the limit is {MAX_ID_CHARS}",
            shorten(id)
        ));
    }
    let stem = id.split('.').next().unwrap_or(id).to_ascii_lowercase();
    if WINDOWS_DEVICES.contains(&stem.as_str()) {
        return Some(format!(
            "`{id}` is a name Windows keeps for a device (`{stem}`), so its page could not be written there"
        ));
    }
    if id.ends_with('.') {
        return Some(format!(
            "`{id}` ends with `.`, which Windows drops from file names"
        ));
    }
    None
}

pub(super) fn id_hint() -> String {
    format!(
        "ids become folder names of the site: at most {MAX_ID_CHARS} characters, not a device name of Windows (CON, PRN, AUX, NUL, COM0–9, LPT0–9), not ending in `.`"
    )
}

/// A long value cut for a message: its first 40 characters and "…".
pub(super) fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        return text.to_owned();
    }
    let start: String = text.chars().take(40).collect();
    format!("{start}…")
}

pub(super) const URL_HINT: &str = "link with http:, https: or mailto:, or with a path from the site's root (files in content/static/)";

pub(super) const BASE_URL_HINT: &str =
    "write it in full, e.g. https://kb.example.com/ or https://example.com/docs/kb/";

/// A site address as the site uses it, from `base_url` in site.yaml or
/// `--base-url`: trimmed and ending in one `/`; or what is wrong with it.
pub fn normalized_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    match base_url_problem(url).or_else(|| base_url_port_problem(url)) {
        None => Ok(with_one_slash(url)),
        Some(problem) => Err(problem),
    }
}

/// A site address ending in exactly one `/`.
pub(super) fn with_one_slash(url: &str) -> String {
    format!("{}/", url.trim_end_matches('/'))
}

/// Why a base URL's port cannot be reached (0, or past 65535), if it
/// cannot. Earlier releases accepted such a `base_url` in site.yaml, so
/// there it is a warning; `--base-url` refuses it.
pub fn base_url_port_problem(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    let (_, port) = authority
        .rsplit_once(':')
        .filter(|(_, port)| !port.contains(']'))?;
    let number: u32 = port.parse().ok()?;
    (!(1..=65535).contains(&number)).then(|| {
        format!(
            "`{}` has port {number}, which no server listens on (ports go from 1 to 65535)",
            shorten(url)
        )
    })
}

/// Why a base URL cannot be used, if it cannot: it must be `http://` or
/// `https://`, a host name (or `[IPv6]`), an optional port, and a path of
/// letters, digits, `-`, `.`, `_`, `~`, `/` and `%XX` escapes, with no
/// query or fragment. It goes as it is into robots.txt, sitemap.xml and
/// every page's canonical link, so nothing there may need escaping.
pub(super) fn base_url_problem(url: &str) -> Option<String> {
    let problem = |why: &str| Some(format!("`{}` {why}", shorten(url)));
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return problem("is not an http(s) URL");
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    };
    if !host_ok {
        return problem("has no valid host name");
    }
    if let Some(port) = port
        && !(1..=5).contains(&port.len()) | !port.chars().all(|c| c.is_ascii_digit())
    {
        return problem("has no valid port");
    }
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        let fine = match c {
            '%' => {
                let escape: String = chars.by_ref().take(2).collect();
                escape.len() == 2 && escape.chars().all(|h| h.is_ascii_hexdigit())
            }
            c => c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/'),
        };
        if !fine {
            return problem(
                "holds a character a base URL may not have (only letters, digits, `-`, `.`, `_`, `~`, `/` and `%XX` escapes, and no `?` or `#`)",
            );
        }
    }
    None
}
