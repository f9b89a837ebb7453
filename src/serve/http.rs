//! HTTP for the preview: the connection socket, the replies, the request
//! path to a site file, and the reload event stream.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::{Method, Request, Response, StatusCode};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::*;

/// A connection's socket as hyper uses it, noting whether hyper is left
/// with output that the client has not taken.
pub(super) struct Socket {
    pub(super) io: hyper_util::rt::TokioIo<TcpStream>,
    /// The last write did not go through. Otherwise hyper, which writes
    /// until its buffer is empty or the socket is full, has nothing left.
    pub(super) blocked: bool,
}

impl Socket {
    pub(super) fn new(stream: TcpStream) -> Self {
        Socket {
            io: hyper_util::rt::TokioIo::new(stream),
            blocked: false,
        }
    }

    fn note<T>(&mut self, written: Poll<T>) -> Poll<T> {
        self.blocked = written.is_pending();
        written
    }
}

impl hyper::rt::Read for Socket {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(context, buffer)
    }
}

impl hyper::rt::Write for Socket {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.io).poll_write(context, buffer);
        self.note(written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffers: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.io).poll_write_vectored(context, buffers);
        self.note(written)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(context)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(context)
    }
}

/// A whole response to write past hyper, for a connection about to close.
pub(super) fn raw_response(status: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Writes a short response, if the socket takes it at once, and closes.
pub(super) fn say_and_close(stream: TcpStream, response: &[u8]) {
    let _ = stream.try_write(response);
    // Send the response and the end before closing: closing with input
    // unread resets the connection, which could drop a response still queued.
    if let Ok(stream) = stream.into_std() {
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
}

/// A response body: a whole file, in parts, or the endless reload events.
pub(super) enum Reply {
    /// Parts that share the site's own bytes: a page is not copied for
    /// each request (63 clients that never read a 26 MB page held 3 GB).
    Whole(std::collections::VecDeque<Bytes>),
    Events {
        messages: mpsc::Receiver<Bytes>,
        clock: Arc<Clock>,
    },
}

impl Body for Reply {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Reply::Whole(parts) => Poll::Ready(parts.pop_front().map(|b| Ok(Frame::data(b)))),
            Reply::Events { messages, clock } => {
                messages.poll_recv(context).map(|message| {
                    // hyper asks for more only once the client takes what it sent.
                    clock.set(Stage::Streaming(Instant::now()));
                    message.map(|m| Ok(Frame::data(m)))
                })
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Reply::Whole(parts) if parts.is_empty())
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Reply::Whole(parts) => SizeHint::with_exact(parts.iter().map(|b| b.len() as u64).sum()),
            Reply::Events { .. } => SizeHint::default(),
        }
    }
}

/// Answers one request. Pages are asked for on a blocking thread, so that
/// a slow render holds up no other connection.
pub(super) async fn answer(
    request: Request<Incoming>,
    shared: Shared,
    clock: Arc<Clock>,
) -> Result<Response<Reply>, Infallible> {
    clock.set(Stage::Answering);
    let target = request.uri().to_string();
    let method = request.method();
    let request_line = method.as_str().len() + target.len() + " HTTP/1.1".len() + 1;
    let host = requested_host(&request);
    let response =
        if let Some(name) = host.filter(|name| !host_allowed(name, &shared.allowed_hosts)) {
            reply(
                StatusCode::FORBIDDEN,
                "text/plain; charset=utf-8",
                format!(
                    "the preview answers only to localhost and IP addresses, not to the name {}; \
if you reached it under that name on purpose, start it with --allow-host {}\n",
                    crate::diag::printable(&name),
                    crate::diag::printable(&name),
                )
                .into_bytes(),
            )
        } else if request_line > REQUEST_LINE_LIMIT {
            reply(
                StatusCode::URI_TOO_LONG,
                "text/plain; charset=utf-8",
                format!(
                    "the request line is over {} KB\n",
                    REQUEST_LINE_LIMIT / 1024
                )
                .into_bytes(),
            )
        } else if method != Method::GET && method != Method::HEAD {
            let mut refused = reply(
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                b"only GET and HEAD\n".to_vec(),
            );
            refused
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            refused
        } else if target.split('?').next() == Some(EVENTS_PATH) {
            return Ok(events(&target, &shared, clock));
        } else {
            tokio::task::spawn_blocking(move || page(&target, &shared))
                .await
                .unwrap_or_else(|_| {
                    reply(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "text/plain; charset=utf-8",
                        b"the preview failed to answer\n".to_vec(),
                    )
                })
        };
    clock.set(Stage::Waiting(Instant::now()));
    Ok(response)
}

/// The host name a request was sent to, without its port, in lower case:
/// from `Host`, or from an absolute request target.
fn requested_host<B>(request: &Request<B>) -> Option<String> {
    let authority = match request.headers().get(hyper::header::HOST) {
        Some(value) => String::from_utf8_lossy(value.as_bytes()).into_owned(),
        None => request.uri().authority()?.as_str().to_owned(),
    };
    Some(host_name(&authority).to_ascii_lowercase())
}

/// `authority` without its port: `[::1]:1111` -> `[::1]`, `a.test:80` -> `a.test`.
pub(super) fn host_name(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    match authority.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => authority,
    }
}

/// Whether the preview answers a request sent to `name`. A web page that
/// makes its own domain resolve to this machine (DNS rebinding) sends its
/// domain as the host; an address written as such, `localhost` and names
/// the user allowed cannot be such a domain.
pub(super) fn host_allowed(name: &str, allowed: &[String]) -> bool {
    let name = name.trim_end_matches('.');
    let is_address = name.parse::<std::net::Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
            .is_some_and(|inner| inner.parse::<std::net::Ipv6Addr>().is_ok());
    is_address
        || name == "localhost"
        || name.ends_with(".localhost")
        || allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
}

/// A whole response; hyper leaves its body out for HEAD.
pub(super) fn reply(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response<Reply> {
    reply_parts(status, kind, vec![Bytes::from(body)])
}

/// A whole response in parts, sent one after the other.
fn reply_parts(status: StatusCode, kind: &'static str, parts: Vec<Bytes>) -> Response<Reply> {
    let parts = parts.into_iter().filter(|part| !part.is_empty()).collect();
    let mut response = Response::new(Reply::Whole(parts));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The site path of the page an events request names (`?page=/a/b/`).
pub(super) fn page_parameter(target: &str) -> Option<String> {
    let (_, query) = target.split_once('?')?;
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))?;
    site_path(&percent_decode(value)?)
}

/// Whether a page open in a browser reloads after a rebuild: when its
/// bytes changed, or errors are shown or were; and whether errors are
/// shown now.
fn reload_after_rebuild(shared: &Shared, page: Option<&str>, showing_errors: bool) -> (bool, bool) {
    let (site, errors) = {
        let served = crate::locked(&shared.served);
        (served.site.clone(), served.errors.is_some())
    };
    let changed = || match (page, site) {
        (Some(page), Some(site)) => ask_changed(&site, page),
        _ => true,
    };
    (errors || showing_errors || changed(), errors)
}

/// The file a request path names, if it names one safely: percent-decoded,
/// no `..`, `.` or empty segments, no backslashes or NULs.
pub(super) fn site_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next()?;
    let path = path.strip_prefix('/')?;
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments: Vec<&str> = decoded.split('/').collect();
    let directory = segments.last() == Some(&"");
    if directory {
        segments.pop();
    }
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return None;
    }
    let mut joined = segments.join("/");
    if directory || joined.is_empty() {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    Some(joined)
}

pub(super) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub(super) fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A page with the reload script before `</body>`, in parts that share
/// the page's bytes.
pub(super) fn with_reload(html: &Arc<Vec<u8>>) -> Vec<Bytes> {
    let page = Bytes::from_owner(SharedPage(Arc::clone(html)));
    let at = html
        .windows(b"</body>".len())
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    vec![
        page.slice(..at),
        Bytes::from_static(RELOAD_SCRIPT.as_bytes()),
        page.slice(at..),
    ]
}

/// A page of the site as the owner of a response's bytes.
struct SharedPage(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedPage {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

pub(super) fn error_page(errors: &[String]) -> Vec<u8> {
    let items: String = errors
        .iter()
        .map(|e| format!("<li><code>{}</code></li>", crate::plan::html::escape(e)))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build errors · upgrade-atlas</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}}h1{{color:#a40e26}}\
ul{{list-style:none;padding:0}}li{{margin:.75rem 0}}\
code{{display:block;white-space:pre-wrap;background:#f6f6f6;border-left:4px solid #a40e26;padding:.5rem 1rem}}\
@media(prefers-color-scheme:dark){{body{{background:#16181d;color:#e8e8e8}}h1{{color:#ff8a9a}}code{{background:#23262d}}}}</style></head>\
<body><h1>The knowledge base has {} problem{}</h1><p>Fix them and this page reloads by itself.</p><ul>{items}</ul>{RELOAD_SCRIPT}</body></html>",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    )
    .into_bytes()
}

/// The file, folder redirect, error page or 404 for a request target.
pub(super) fn page(target: &str, shared: &Shared) -> Response<Reply> {
    let (site, errors) = {
        let served = crate::locked(&shared.served);
        (served.site.clone(), served.errors.clone())
    };
    let path = site_path(target);
    let answer = match (&site, &path) {
        (Some(site), Some(path)) => ask(site, path),
        _ => Answer::Missing,
    };
    let file = match answer {
        Answer::Folder => {
            let location = format!("/{}/", path.unwrap_or_default());
            let mut moved = reply(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Vec::new(),
            );
            if let Ok(location) = HeaderValue::from_str(&location) {
                moved.headers_mut().insert(LOCATION, location);
            }
            return moved;
        }
        Answer::File(bytes) => path.map(|p| (p, bytes)),
        Answer::Missing => None,
    };
    let wants_page = file.as_ref().is_none_or(|(p, _)| p.ends_with(".html"));
    if let (Some(errors), true) = (errors, wants_page) {
        return reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            error_page(&errors),
        );
    }
    match file {
        Some((path, bytes)) if path.ends_with(".html") => {
            reply_parts(StatusCode::OK, content_type(&path), with_reload(&bytes))
        }
        Some((path, bytes)) => reply_parts(
            StatusCode::OK,
            content_type(&path),
            vec![Bytes::from_owner(SharedPage(bytes))],
        ),
        None => {
            let not_found = match &site {
                Some(site) => match ask(site, crate::plan::urls::NOT_FOUND) {
                    Answer::File(bytes) => with_reload(&bytes),
                    _ => vec![Bytes::from_static(b"not found\n")],
                },
                None => vec![Bytes::from_static(b"not found\n")],
            };
            reply_parts(StatusCode::NOT_FOUND, "text/html; charset=utf-8", not_found)
        }
    }
}

/// Server-sent events: a `reload` message after each rebuild that changed
/// the page named by the request's `page` parameter (every rebuild when
/// it names none).
pub(super) fn events(target: &str, shared: &Shared, clock: Arc<Clock>) -> Response<Reply> {
    let (sender, messages) = mpsc::channel(1);
    let mut rebuilds = shared.rebuilt.subscribe();
    let page = page_parameter(target);
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        let mut showing_errors = crate::locked(&shared.served).errors.is_some();
        let mut message: Option<&'static [u8]> = Some(b": connected\n\n");
        loop {
            // Ends when the connection, and the receiver with it, is gone.
            if let Some(message) = message
                && sender.send(Bytes::from_static(message)).await.is_err()
            {
                return;
            }
            message = match tokio::time::timeout(PING_INTERVAL, rebuilds.changed()).await {
                Ok(Ok(())) => {
                    let (shared, page) = (Arc::clone(&shared), page.clone());
                    let asked = tokio::task::spawn_blocking(move || {
                        reload_after_rebuild(&shared, page.as_deref(), showing_errors)
                    });
                    let (reload, errors) = asked.await.unwrap_or((true, showing_errors));
                    showing_errors = errors;
                    reload.then_some(b"data: reload\n\n")
                }
                Ok(Err(_)) => return,
                // A comment keeps the connection alive.
                Err(_) => Some(b": ping\n\n"),
            };
        }
    });
    clock.set(Stage::Streaming(Instant::now()));
    let mut response = Response::new(Reply::Events { messages, clock });
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
