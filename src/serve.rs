//! `serve`: a live preview while writing.
//!
//! Not a pipeline stage of its own: on every change it runs load to graph,
//! then plans and renders each page only when a browser asks for it (and
//! keeps it until the next change), where `build` would write them all. So a
//! rebuild costs a check, not a whole site; and the check itself keeps the
//! parsed files and resolved scenarios of the last one ([`crate::CheckCache`]),
//! reading again only the files the watcher names. It never writes, cleans or
//! deletes any folder. Pages are served with a small script that reloads
//! them when a rebuild finishes (server-sent events); while the content has
//! errors, every page shows them instead, and the last good site is kept
//! for everything else.
//!
//! HTTP is hyper's (on one tokio thread): it parses requests, keeps
//! connections alive and refuses heads over [`HEAD_LIMIT`] with 431. What
//! hyper leaves to its user is here: a cap on connections, a deadline for
//! each request that answers a half-sent one with 408, and 414 for request
//! lines over [`REQUEST_LINE_LIMIT`] (docs/security.md, "serve").

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::{Method, Request, Response, StatusCode};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};

use crate::diag::Diagnostic;
use crate::plan::PlanOptions;

const EVENTS_PATH: &str = "/__upgrade-atlas/events";
const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__upgrade-atlas/events\");s.onmessage=function(){location.reload();};})();</script>";

/// The longest request line served (method, target and version); a longer
/// one gets 414. The site's own links are far shorter.
const REQUEST_LINE_LIMIT: usize = 8 * 1024;
/// The largest request head (request line and headers) read; a larger one
/// gets 431. With [`CONNECTION_LIMIT`] it bounds what clients can make the
/// preview hold.
const HEAD_LIMIT: usize = 64 * 1024;
/// Connections served at once; one more is answered 503 and closed. A
/// browser opens at most six to a site, one of them per tab for the reload
/// events.
const CONNECTION_LIMIT: usize = 64;
/// How long a client has, from opening the connection or from its last
/// answer being ready, to take that answer and send a whole request head.
/// Counted for the head as a whole, so a head sent a byte at a time does
/// not hold a connection open; one still arriving then gets 408.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// How often the reload events say that the preview is still there.
const PING_INTERVAL: Duration = Duration::from_secs(15);

/// What the site thread answers for a path.
enum Answer {
    File(Arc<Vec<u8>>),
    /// A folder asked for without its slash.
    Folder,
    Missing,
}

/// A request to the site thread: a site path and where to send the answer.
type Job = (String, std::sync::mpsc::Sender<Answer>);

/// What is being served now.
#[derive(Default)]
struct Served {
    /// The thread that holds the last site that checked without errors.
    site: Option<std::sync::mpsc::Sender<Job>>,
    /// The errors of the latest build, rendered for people; `None` when it succeeded.
    errors: Option<Vec<String>>,
}

/// The preview's state, shared by the watcher and every connection.
struct Preview {
    served: Mutex<Served>,
    /// Counts rebuilds; the reload events of every open page watch it.
    rebuilt: watch::Sender<u64>,
    /// Parsed files kept between rebuilds, so that a rebuild parses only what changed.
    cache: Mutex<crate::CheckCache>,
}

impl Default for Preview {
    fn default() -> Self {
        Preview {
            served: Mutex::default(),
            rebuilt: watch::Sender::new(0),
            cache: Mutex::default(),
        }
    }
}

type Shared = Arc<Preview>;

pub struct ServeOptions {
    pub bind: String,
    pub port: u16,
    pub open: bool,
}

/// Builds, serves and rebuilds on change until the process is stopped.
/// Returns only when the server cannot start.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<(), String> {
    // An IPv6 address needs brackets before the port.
    let address = if options.bind.contains(':') && !options.bind.starts_with('[') {
        format!("[{}]:{}", options.bind, options.port)
    } else {
        format!("{}:{}", options.bind, options.port)
    };
    let listener = std::net::TcpListener::bind(&address).map_err(|error| match error.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {} is busy on {}; choose another with --port, e.g. --port {}",
            options.port,
            options.bind,
            options.port.wrapping_add(1).max(1024)
        ),
        _ => format!("cannot listen on {address}: {error}"),
    })?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    if !local.ip().is_loopback() {
        eprintln!(
            "warning: --bind {} lets other machines reach the preview at port {}, with no login and no encryption; \
leave --bind out (127.0.0.1) unless you mean to share it on a network you trust",
            options.bind,
            local.port()
        );
    }
    let shared: Shared = Arc::default();
    // Watch first: a change made while the first build runs is then either
    // seen by it or reported after it, never lost.
    let _watcher =
        watch(root, Arc::clone(&shared)).map_err(|e| format!("cannot watch for changes: {e}"))?;
    rebuild(root, &shared, None);

    let url = format!("http://{local}/");
    let shown = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    println!("Serving {} at {url} (Ctrl-C to stop)", shown.display());
    if options.open {
        let _ = std::process::Command::new(if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        })
        .arg(&url)
        .spawn();
    }

    // One thread serves every connection: they wait on the network, and
    // pages are rendered on the site thread anyway.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    runtime.block_on(accept(listener, shared))
}

/// Takes connections, each on a task of its own, while fewer than
/// [`CONNECTION_LIMIT`] are open.
async fn accept(listener: std::net::TcpListener, shared: Shared) -> Result<(), String> {
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
    let slots = Arc::new(Semaphore::new(CONNECTION_LIMIT));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait for some to close rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => {
                tokio::spawn(connection(stream, Arc::clone(&shared), slot));
            }
            Err(_) => say_and_close(
                stream,
                &raw_response(
                    "503 Service Unavailable",
                    "too many connections to the preview; try again\n",
                ),
            ),
        }
    }
}

/// Where a connection stands, for its deadline.
#[derive(Clone, Copy)]
enum Stage {
    /// Opened, or answered, then: the client is to take the answer and send
    /// its next request.
    Waiting(Instant),
    /// The preview is working on an answer: no deadline for the client.
    Answering,
    /// Sending reload events; the client took the last one then.
    Streaming(Instant),
}

/// The deadline of one connection, moved on by what it does.
struct Clock(Mutex<Stage>);

impl Clock {
    fn new() -> Self {
        Clock(Mutex::new(Stage::Waiting(Instant::now())))
    }

    fn stage(&self) -> Stage {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, stage: Stage) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = stage;
    }

    /// When the connection is closed unless something moves it on first.
    fn deadline(&self) -> Instant {
        match self.stage() {
            Stage::Waiting(since) => since + REQUEST_DEADLINE,
            // Look again later.
            Stage::Answering => Instant::now() + REQUEST_DEADLINE,
            Stage::Streaming(last) => last + PING_INTERVAL + REQUEST_DEADLINE,
        }
    }
}

/// Serves one connection with hyper until it closes or runs out of time.
/// Holds its slot until then.
async fn connection(stream: TcpStream, shared: Shared, _slot: OwnedSemaphorePermit) {
    let clock = Arc::new(Clock::new());
    let service = {
        let clock = Arc::clone(&clock);
        hyper::service::service_fn(move |request| {
            answer(request, Arc::clone(&shared), Arc::clone(&clock))
        })
    };
    let mut connection = hyper::server::conn::http1::Builder::new()
        .max_buf_size(HEAD_LIMIT)
        .max_header_size(HEAD_LIMIT)
        // The clock below times the whole head instead, and says 408.
        .header_read_timeout(None)
        .title_case_headers(true)
        .serve_connection(Socket::new(stream), service);
    loop {
        let deadline = tokio::time::Instant::from_std(clock.deadline());
        match tokio::time::timeout_at(deadline, &mut connection).await {
            Ok(_) => return,
            Err(_) if clock.deadline() > Instant::now() => {}
            Err(_) => break,
        }
    }
    // Out of time. hyper has written nothing for a request still arriving,
    // so the 408 can go straight to the socket, after any earlier answer that
    // went out whole; an idle connection, or one that does not take its
    // answer, just closes.
    if let Stage::Waiting(_) = clock.stage() {
        let parts = connection.into_parts();
        if !parts.read_buf.is_empty() && !parts.io.blocked {
            let body = format!(
                "the request did not arrive within {} s\n",
                REQUEST_DEADLINE.as_secs()
            );
            say_and_close(
                parts.io.io.into_inner(),
                &raw_response("408 Request Timeout", &body),
            );
        }
    }
}

/// A connection's socket as hyper uses it, noting whether hyper is left
/// with output that the client has not taken.
struct Socket {
    io: hyper_util::rt::TokioIo<TcpStream>,
    /// The last write did not go through. Otherwise hyper, which writes
    /// until its buffer is empty or the socket is full, has nothing left.
    blocked: bool,
}

impl Socket {
    fn new(stream: TcpStream) -> Self {
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
fn raw_response(status: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Writes a short response, if the socket takes it at once, and closes.
fn say_and_close(stream: TcpStream, response: &[u8]) {
    let _ = stream.try_write(response);
    // Send the response and the end before closing: closing with input
    // unread resets the connection, which could drop a response still queued.
    if let Ok(stream) = stream.into_std() {
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
}

/// A response body: a whole file, or the endless reload events.
enum Reply {
    Whole(Option<Bytes>),
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
            Reply::Whole(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
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
        matches!(self, Reply::Whole(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Reply::Whole(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Reply::Events { .. } => SizeHint::default(),
        }
    }
}

/// Answers one request. Pages are asked for on a blocking thread, so that
/// a slow render holds up no other connection.
async fn answer(
    request: Request<Incoming>,
    shared: Shared,
    clock: Arc<Clock>,
) -> Result<Response<Reply>, Infallible> {
    clock.set(Stage::Answering);
    let target = request.uri().to_string();
    let method = request.method();
    let request_line = method.as_str().len() + target.len() + " HTTP/1.1".len() + 1;
    let response = if request_line > REQUEST_LINE_LIMIT {
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
        return Ok(events(&shared, clock));
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

/// A whole response; hyper leaves its body out for HEAD.
fn reply(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response<Reply> {
    let body = (!body.is_empty()).then(|| Bytes::from(body));
    let mut response = Response::new(Reply::Whole(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Checks the knowledge base and publishes it (or its errors), saying in the
/// terminal what caused it, if anything.
fn rebuild(root: &Path, shared: &Shared, cause: Option<&str>) {
    let because = cause.map(|c| format!("{c} · ")).unwrap_or_default();
    let started = Instant::now();
    let result = {
        let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
        start_site(root, &mut cache)
    };
    let mut served = shared.served.lock().unwrap_or_else(|e| e.into_inner());
    match result {
        Ok((site, scenarios, warnings)) => {
            for warning in &warnings {
                eprintln!("{warning}");
            }
            served.site = Some(site);
            served.errors = None;
            println!(
                "{because}checked {scenarios} scenarios in {} ms",
                started.elapsed().as_millis()
            );
        }
        Err(failure) => {
            // As the terminal shows them: with the line at fault and a caret.
            let shown: Vec<String> = failure
                .diagnostics
                .iter()
                .map(|diagnostic| diagnostic.render(&failure.sources))
                .collect();
            for diagnostic in &shown {
                eprintln!("{diagnostic}\n");
            }
            eprintln!(
                "{because}{} problem(s); the preview shows them until they are fixed",
                shown.len()
            );
            served.errors = Some(shown);
        }
    }
    drop(served);
    shared.rebuilt.send_modify(|rebuilds| *rebuilds += 1);
    // Free what this rebuild replaced only now that the reload is out.
    let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
    cache.resolve.tidy();
}

/// Checks the knowledge base and starts a thread that owns it and renders
/// its pages on demand. The thread ends when the next site replaces it.
fn start_site(
    root: &Path,
    cache: &mut crate::CheckCache,
) -> Result<(std::sync::mpsc::Sender<Job>, usize, Vec<Diagnostic>), crate::Failure> {
    let (checked, theme) = crate::check_with_theme(root, cache)?;
    let (jobs, receiver) = std::sync::mpsc::channel::<Job>();
    let (ready, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let model = checked.model;
        let mut site = match LiveSite::new(&model, &theme) {
            Ok(site) => site,
            Err(diagnostics) => {
                let _ = ready.send(Err(diagnostics));
                return;
            }
        };
        let _ = ready.send(Ok((model.scenarios.len(), checked.warnings)));
        for (path, reply) in receiver {
            let _ = reply.send(site.answer(&path));
        }
    });
    match started.recv() {
        Ok(Ok((pages, warnings))) => Ok((jobs, pages, warnings)),
        Ok(Err(diagnostics)) => Err(crate::Failure {
            diagnostics,
            sources: crate::diag::Sources::default(),
        }),
        Err(_) => Err(crate::Failure {
            diagnostics: vec![Diagnostic::error(
                crate::diag::Span::file_start("content"),
                "the preview could not start",
            )],
            sources: crate::diag::Sources::default(),
        }),
    }
}

/// One checked knowledge base: its planner and renderer, and the files
/// rendered so far.
struct LiveSite<'m> {
    planner: crate::plan::Planner<'m>,
    renderer: crate::render::Renderer<'m>,
    theme: &'m crate::render::Theme,

    files: HashMap<String, Arc<Vec<u8>>>,
    data_ready: bool,
}

impl<'m> LiveSite<'m> {
    fn new(
        model: &'m crate::model::Model,
        theme: &'m crate::render::Theme,
    ) -> Result<Self, Vec<Diagnostic>> {
        let planner = crate::plan::Planner::new(model, &PlanOptions::default());
        let renderer = crate::render::Renderer::new(model, planner.urls, theme)?;

        Ok(LiveSite {
            planner,
            renderer,
            theme,
            files: HashMap::new(),
            data_ready: false,
        })
    }

    /// The page at `path`, rendered once and kept; `None` when there is none.
    fn render(&mut self, path: &str) -> Option<Arc<Vec<u8>>> {
        let page = self.planner.page(path)?;
        let bytes = match self.renderer.page(page) {
            Ok(file) => file.bytes,
            Err(problem) => error_page(&[problem.to_string()]),
        };
        let bytes = Arc::new(bytes);
        self.files.insert(path.to_owned(), Arc::clone(&bytes));
        Some(bytes)
    }

    fn answer(&mut self, path: &str) -> Answer {
        if let Some(bytes) = self.files.get(path) {
            return Answer::File(Arc::clone(bytes));
        }
        if let Some(bytes) = self.render(path) {
            return Answer::File(bytes);
        }
        if let Some(asset) = path.strip_prefix("assets/")
            && let Some((_, bytes)) = self.theme.assets().find(|(name, _)| name.as_str() == asset)
        {
            return Answer::File(Arc::new(bytes.clone()));
        }
        if !self.data_ready {
            // Search index, graph data, robots.txt, static files: made together, once.
            for file in self.planner.files(&self.planner.page_paths()).0 {
                self.files.insert(file.path, Arc::new(file.bytes));
            }
            self.data_ready = true;
            if let Some(bytes) = self.files.get(path) {
                return Answer::File(Arc::clone(bytes));
            }
        }
        if self.render(&format!("{path}/index.html")).is_some() {
            return Answer::Folder;
        }
        Answer::Missing
    }
}

/// Asks the current site thread for a path.
fn ask(site: &std::sync::mpsc::Sender<Job>, path: &str) -> Answer {
    let (reply, answer) = std::sync::mpsc::channel();
    if site.send((path.to_owned(), reply)).is_err() {
        return Answer::Missing;
    }
    answer
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or(Answer::Missing)
}

/// Watches content/ and templates/ and rebuilds once changes settle.
/// Only changes count: reading files (as every rebuild does) must not
/// trigger another rebuild.
fn watch(root: &Path, shared: Shared) -> notify::Result<Arc<Mutex<notify::RecommendedWatcher>>> {
    use notify::{RecursiveMode, Watcher};
    let (sender, receiver) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(sender)?;
    // The root itself, not recursively, notices content/ or templates/
    // appearing; they are watched one by one so that target/ or public/ are not.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for folder in WATCHED {
        let path = root.join(folder);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let watching = Arc::clone(&watcher);
    // From now on the load stage may trust the events below to name every
    // changed file, and skip walking content/ when only known files changed.
    // (The first load after this walks.)
    shared
        .cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .load
        .watched();
    // Events name absolute paths; compare them with the absolute root too.
    let roots = [
        root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        root.to_path_buf(),
    ];
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(event) = receiver.recv() {
            if !is_relevant(&event, &roots) {
                continue;
            }
            // Let a burst of changes settle, noting every file it touched.
            let mut burst = vec![event];
            while let Ok(event) = receiver.recv_timeout(SETTLE) {
                burst.push(event);
            }
            let named = report(&burst, &roots, &shared);
            watch_new_folders(&root, &roots, &burst, &watching);
            let cause = describe_changes(&root, &named);
            rebuild(&root, &shared, Some(&cause));
        }
    });
    Ok(watcher)
}

/// How long the watcher waits for more events after one. An editor's save
/// (write, rename, metadata) comes within a few milliseconds; a longer burst
/// (a git checkout) rebuilds twice, which the caches keep cheap. Every
/// millisecond here is one more before the reader sees the change.
const SETTLE: Duration = Duration::from_millis(20);

/// The folders whose changes rebuild the preview.
const WATCHED: [&str; 2] = ["content", "templates"];

/// Starts watching content/ or templates/ when a burst of events created it
/// (a new knowledge base, a first template override).
fn watch_new_folders(
    root: &Path,
    roots: &[PathBuf],
    burst: &[notify::Result<notify::Event>],
    watcher: &Mutex<notify::RecommendedWatcher>,
) {
    use notify::{EventKind, RecursiveMode, Watcher};
    let created = burst.iter().flatten().any(|event| {
        matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_))
            && event.paths.iter().any(|path| {
                below(path, roots)
                    .is_some_and(|below| WATCHED.iter().any(|f| below == Path::new(f)))
            })
    });
    if !created {
        return;
    }
    let mut watcher = watcher.lock().unwrap_or_else(|e| e.into_inner());
    for folder in WATCHED {
        let path = root.join(folder);
        if path.is_dir() {
            // Watching a folder that is already watched changes nothing.
            let _ = watcher.watch(&path, RecursiveMode::Recursive);
        }
    }
}

/// Tells the load cache which files a burst of events touched.
/// Returns the files named, relative to the root.
fn report(
    burst: &[notify::Result<notify::Event>],
    roots: &[PathBuf],
    shared: &Shared,
) -> BTreeSet<PathBuf> {
    let mut named = BTreeSet::new();
    let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
    for event in burst {
        match event {
            Ok(event) if event.need_rescan() => cache.load.changed_somewhere(),
            Ok(event) if is_change(event) => {
                for path in &event.paths {
                    match below(path, roots) {
                        Some(file) => {
                            cache.load.changed(file);
                            named.insert(file.to_path_buf());
                        }
                        None => cache.load.changed_somewhere(),
                    }
                }
            }
            Ok(_) => {}
            Err(_) => cache.load.changed_somewhere(),
        }
    }
    named
}

/// "content/a.yaml and content/b.yaml changed; templates/x.html removed":
/// the files that are there now, and the content or template files that
/// are gone (an editor's temporary files come and go unnamed).
fn describe_changes(root: &Path, named: &BTreeSet<PathBuf>) -> String {
    let (present, gone): (Vec<&PathBuf>, Vec<&PathBuf>) =
        named.iter().partition(|file| root.join(file).is_file());
    let gone: Vec<&PathBuf> = gone
        .into_iter()
        .filter(|file| is_source_file(file) && !root.join(file).exists())
        .collect();
    let mut parts = Vec::new();
    if !present.is_empty() {
        parts.push(format!("{} changed", list_files(&present)));
    }
    if !gone.is_empty() {
        parts.push(format!("{} removed", list_files(&gone)));
    }
    if parts.is_empty() {
        return "content/ or templates/ changed".to_owned();
    }
    parts.join("; ")
}

/// A file a knowledge base is made of, by its name: not hidden, not an
/// editor's backup, with an extension that content or templates use.
fn is_source_file(file: &Path) -> bool {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    !name.starts_with('.')
        && [
            "yaml", "yml", "html", "css", "js", "svg", "png", "jpg", "pdf", "txt",
        ]
        .contains(&extension)
}

fn list_files(files: &[&PathBuf]) -> String {
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [first, second, rest @ ..] => format!("{first}, {second} and {} more", rest.len()),
    }
}

/// Whether an event created, changed or removed something.
fn is_change(event: &notify::Event) -> bool {
    use notify::EventKind;
    matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
    )
}

/// A change in content/ or templates/ (or somewhere unknown), or news
/// that changes were missed. Only changes count: reading files, as every
/// rebuild does, must not start another.
fn is_relevant(event: &notify::Result<notify::Event>, roots: &[PathBuf]) -> bool {
    match event {
        Err(_) => true,
        Ok(event) if event.need_rescan() => true,
        Ok(event) => {
            is_change(event)
                && event.paths.iter().any(|path| {
                    below(path, roots).is_none_or(|below| {
                        below.starts_with("content") || below.starts_with("templates")
                    })
                })
        }
    }
}

/// `path` relative to the knowledge base root, known by either of its names.
fn below<'p>(path: &'p Path, roots: &[PathBuf]) -> Option<&'p Path> {
    roots.iter().find_map(|root| path.strip_prefix(root).ok())
}

/// The file a request path names, if it names one safely: percent-decoded,
/// no `..`, `.` or empty segments, no backslashes or NULs.
fn site_path(target: &str) -> Option<String> {
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

fn percent_decode(text: &str) -> Option<String> {
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

fn content_type(path: &str) -> &'static str {
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

fn with_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{RELOAD_SCRIPT}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{RELOAD_SCRIPT}").into_bytes(),
    }
}

fn error_page(errors: &[String]) -> Vec<u8> {
    let items: String = errors
        .iter()
        .map(|e| format!("<li><code>{}</code></li>", crate::plan::escape_html(e)))
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
fn page(target: &str, shared: &Shared) -> Response<Reply> {
    let (site, errors) = {
        let served = shared.served.lock().unwrap_or_else(|e| e.into_inner());
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
            reply(StatusCode::OK, content_type(&path), with_reload(&bytes))
        }
        Some((path, bytes)) => reply(StatusCode::OK, content_type(&path), bytes.to_vec()),
        None => {
            let not_found = match &site {
                Some(site) => match ask(site, "404.html") {
                    Answer::File(bytes) => with_reload(&bytes),
                    _ => b"not found\n".to_vec(),
                },
                None => b"not found\n".to_vec(),
            };
            reply(StatusCode::NOT_FOUND, "text/html; charset=utf-8", not_found)
        }
    }
}

/// Server-sent events: one `reload` message after each rebuild.
fn events(shared: &Shared, clock: Arc<Clock>) -> Response<Reply> {
    let (sender, messages) = mpsc::channel(1);
    let mut rebuilds = shared.rebuilt.subscribe();
    tokio::spawn(async move {
        let mut message: &'static [u8] = b": connected\n\n";
        // Ends when the connection, and the receiver with it, is gone.
        while sender.send(Bytes::from_static(message)).await.is_ok() {
            message = match tokio::time::timeout(PING_INTERVAL, rebuilds.changed()).await {
                Ok(Ok(())) => b"data: reload\n\n",
                Ok(Err(_)) => return,
                // A comment keeps the connection alive.
                Err(_) => b": ping\n\n",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_site_files() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/products/a/?x=1").as_deref(),
            Some("products/a/index.html")
        );
        assert_eq!(
            site_path("/assets/style.css").as_deref(),
            Some("assets/style.css")
        );
        assert_eq!(site_path("/a%20b.html").as_deref(), Some("a b.html"));
    }

    #[test]
    fn traversal_is_refused() {
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/a/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(site_path("/a/..%2f..%2fetc"), None);
        assert_eq!(site_path("//etc/passwd"), None);
        assert_eq!(site_path("/a%5c..%5cb"), None);
        assert_eq!(site_path("/%00"), None);
        assert_eq!(site_path("/%zz"), None);
        assert_eq!(site_path("http://example.com/"), None);
    }

    #[test]
    fn which_events_rebuild() {
        use notify::event::{AccessKind, CreateKind, Flag};
        use notify::{Event, EventKind};
        let roots = [PathBuf::from("/kb")];
        let created =
            |path: &str| Ok(Event::new(EventKind::Create(CreateKind::File)).add_path(path.into()));
        assert!(is_relevant(&created("/kb/content/a.yaml"), &roots));
        assert!(is_relevant(&created("/kb/templates/base.html"), &roots));
        assert!(!is_relevant(&created("/kb/public/index.html"), &roots));
        // Somewhere unknown (say, through a link): better rebuild.
        assert!(is_relevant(&created("/elsewhere/a.yaml"), &roots));
        let read =
            Event::new(EventKind::Access(AccessKind::Any)).add_path("/kb/content/a.yaml".into());
        assert!(!is_relevant(&Ok(read), &roots), "rebuilds read files");
        // Missed events must not go unnoticed.
        let overflow = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        assert!(is_relevant(&Ok(overflow), &roots));
        assert!(is_relevant(&Err(notify::Error::generic("lost")), &roots));
    }

    #[test]
    fn changes_are_named_in_the_terminal() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["a.yaml", "b.yaml", "c.yaml", "d.yaml"];
        for name in names {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let named = |list: &[&str]| list.iter().map(PathBuf::from).collect();
        let describe = |list: &[&str]| describe_changes(dir.path(), &named(list));
        assert_eq!(describe(&["a.yaml"]), "a.yaml changed");
        assert_eq!(describe(&["a.yaml", "b.yaml"]), "a.yaml and b.yaml changed");
        assert_eq!(describe(&names), "a.yaml, b.yaml and 2 more changed");
        // A temporary file already gone is not named.
        assert_eq!(describe(&["a.yaml", "4913"]), "a.yaml changed");
        assert_eq!(describe(&["4913"]), "content/ or templates/ changed");
        // A removed file is said to be removed, not to have changed.
        assert_eq!(
            describe(&["a.yaml", "gone.yaml"]),
            "a.yaml changed; gone.yaml removed"
        );
        assert_eq!(
            describe(&["templates/version.html"]),
            "templates/version.html removed"
        );
    }

    #[test]
    fn reload_script_goes_before_the_body_ends() {
        let page = with_reload(b"<html><body><p>x</p></body></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with(&format!("{RELOAD_SCRIPT}</body></html>")));
    }
}
