//! `serve`: a live preview while writing.
//!
//! Not a pipeline stage of its own: on every change it runs load to graph,
//! then plans and renders each page only when a browser asks for it (and
//! keeps it until the next change), where `build` would write them all. So a
//! rebuild costs a check, not a whole site; and the check itself keeps the
//! parsed files and resolved scenarios of the last one ([`crate::CheckCache`]),
//! reading again only the files the watcher names. After a change, a page
//! whose inputs did not change is served as the site before rendered it,
//! by the tracking `build` uses (`render::Previous`). It never writes,
//! cleans or deletes any folder. Pages are served with a small script that
//! reloads them when a rebuild changed them (server-sent events naming the
//! page); while the content has errors, every page shows them instead, and
//! the last good site is kept for everything else.
//!
//! HTTP is hyper's (on one tokio thread): it parses requests, keeps
//! connections alive and refuses heads over `HEAD_LIMIT` with 431. What
//! hyper leaves to its user is here: a cap on connections, a deadline for
//! each request that answers a half-sent one with 408, and 414 for request
//! lines over `REQUEST_LINE_LIMIT` (docs/security.md, "serve").

mod http;
#[cfg(test)]
mod tests;
mod watcher;

use http::*;
use watcher::*;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::diag::Diagnostic;
use crate::plan::{Links, PlanOptions};
use crate::render::{MadeFrom, Previous};

const EVENTS_PATH: &str = "/__upgrade-atlas/events";
/// Each page listens for the rebuilds that change it: the events name the
/// page, and the preview sends a reload only when that page's bytes
/// changed (or the knowledge base's errors came or went).
const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__upgrade-atlas/events?page=\"+encodeURIComponent(location.pathname));s.onmessage=function(){location.reload();};})();</script>";

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

/// A request to the site thread.
enum Job {
    /// The file at a site path, and where to send it.
    File(String, std::sync::mpsc::Sender<Answer>),
    /// Whether the page at a site path differs from the one the site
    /// before this one served.
    Changed(String, std::sync::mpsc::Sender<bool>),
    /// The pages rendered so far, for the site that replaces this one.
    HandOver(std::sync::mpsc::Sender<Before>),
}

/// The pages a site rendered, each with what it was made from: the next
/// site keeps those whose inputs did not change (as `build` keeps files),
/// and tells the pages open in a browser whether they changed.
#[derive(Clone, Default)]
struct Before(HashMap<String, (MadeFrom, Arc<Vec<u8>>)>);

impl Previous for Before {
    fn keeps(
        &self,
        path: &str,
        fingerprint: crate::plan::Fingerprint,
        leads: &dyn Fn(&str, &str) -> bool,
    ) -> bool {
        (self.0.get(path)).is_some_and(|(made_from, _)| made_from.is_still(fingerprint, leads))
    }
}

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
    /// The map of `@` references, kept while the ids it maps stay the same.
    links: Mutex<Option<(u64, Arc<Links>)>>,
    /// Host names answered besides localhost and addresses (`--allow-host`).
    allowed_hosts: Vec<String>,
}

impl Default for Preview {
    fn default() -> Self {
        Preview {
            served: Mutex::default(),
            rebuilt: watch::Sender::new(0),
            cache: Mutex::default(),
            links: Mutex::default(),
            allowed_hosts: Vec::new(),
        }
    }
}

type Shared = Arc<Preview>;

pub struct ServeOptions {
    pub bind: String,
    pub port: u16,
    pub open: bool,
    /// Host names to answer besides localhost and IP addresses.
    pub allowed_hosts: Vec<String>,
}

/// Why the preview could not start (its knowledge base's problems are
/// shown in it, not returned).
#[derive(Debug)]
pub enum ServeError {
    /// Another process listens on the port.
    PortBusy { bind: String, port: u16 },
    /// The address cannot be listened on (not this machine's, say).
    Listen {
        address: String,
        error: std::io::Error,
    },
    /// Changes to the knowledge base cannot be watched.
    Watch(notify::Error),
    /// The server's runtime could not start.
    Start(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortBusy { bind, port } => write!(
                f,
                "port {port} is busy on {bind}; choose another with --port, e.g. --port {}",
                port.wrapping_add(1).max(1024)
            ),
            ServeError::Listen { address, error } => {
                write!(f, "cannot listen on {address}: {error}")
            }
            ServeError::Watch(error) => write!(f, "cannot watch for changes: {error}"),
            ServeError::Start(error) => write!(f, "cannot start the server: {error}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// Builds, serves and rebuilds on change until the process is stopped.
/// Returns only when the server cannot start.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<(), ServeError> {
    // An IPv6 address needs brackets before the port.
    let address = if options.bind.contains(':') && !options.bind.starts_with('[') {
        format!("[{}]:{}", options.bind, options.port)
    } else {
        format!("{}:{}", options.bind, options.port)
    };
    let cannot_listen = |error: std::io::Error| ServeError::Listen {
        address: address.clone(),
        error,
    };
    let listener = std::net::TcpListener::bind(&address).map_err(|error| match error.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortBusy {
            bind: options.bind.clone(),
            port: options.port,
        },
        _ => cannot_listen(error),
    })?;
    let local = listener.local_addr().map_err(cannot_listen)?;
    if !local.ip().is_loopback() {
        eprintln!(
            "warning: --bind {} lets other machines reach the preview at port {}, with no login and no encryption; \
leave --bind out (127.0.0.1) unless you mean to share it on a network you trust",
            options.bind,
            local.port()
        );
    }
    let shared: Shared = Arc::new(Preview {
        allowed_hosts: options.allowed_hosts.clone(),
        ..Preview::default()
    });
    // Watch first: a change made while the first build runs is then either
    // seen by it or reported after it, never lost.
    let _watcher = watch(root, Arc::clone(&shared)).map_err(ServeError::Watch)?;
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
        .map_err(ServeError::Start)?;
    listener.set_nonblocking(true).map_err(cannot_listen)?;
    runtime
        .block_on(accept(listener, shared))
        .map_err(cannot_listen)
}

/// Takes connections, each on a task of its own, while fewer than
/// [`CONNECTION_LIMIT`] are open.
async fn accept(listener: std::net::TcpListener, shared: Shared) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
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
        *crate::locked(&self.0)
    }

    fn set(&self, stage: Stage) {
        *crate::locked(&self.0) = stage;
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

/// Checks the knowledge base and publishes it (or its errors), saying in the
/// terminal what caused it, if anything.
fn rebuild(root: &Path, shared: &Shared, cause: Option<&str>) {
    let because = cause.map(|c| format!("{c} · ")).unwrap_or_default();
    let started = Instant::now();
    let replaced = crate::locked(&shared.served).site.clone();
    let before = replaced.map(|site| hand_over(&site)).unwrap_or_default();
    let result = {
        let mut cache = crate::locked(&shared.cache);
        start_site(root, &mut cache, &shared.links, before)
    };
    let mut served = crate::locked(&shared.served);
    match result {
        Ok((site, scenarios, warnings)) => {
            // With their lines and carets, as `check` and `build` show them.
            let sources = crate::diag::Sources::reading_from(root);
            for warning in &warnings {
                eprintln!("{}\n", warning.render(&sources));
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
                "{because}{}; the preview shows them until they are fixed",
                failure.summary()
            );
            served.errors = Some(shown);
        }
    }
    drop(served);
    shared.rebuilt.send_modify(|rebuilds| *rebuilds += 1);
    // Free what this rebuild replaced only now that the reload is out.
    let mut cache = crate::locked(&shared.cache);
    cache.resolve.tidy();
}

/// Checks the knowledge base and starts a thread that owns it and renders
/// its pages on demand. The thread ends when the next site replaces it.
fn start_site(
    root: &Path,
    cache: &mut crate::CheckCache,
    kept_links: &Mutex<Option<(u64, Arc<Links>)>>,
    before: Before,
) -> Result<(std::sync::mpsc::Sender<Job>, usize, Vec<Diagnostic>), crate::Failure> {
    let (checked, theme) = crate::with_theme(root, crate::check_cached(root, cache))?;
    let links = {
        let model = &checked.model;
        let urls = crate::plan::Urls {
            pretty: model.site.pretty_urls,
        };
        let fingerprint = Links::fingerprint(model, urls);
        let mut kept = crate::locked(kept_links);
        match &*kept {
            Some((known, links)) if *known == fingerprint => Arc::clone(links),
            _ => {
                let links = Arc::new(Links::new(model, urls));
                *kept = Some((fingerprint, Arc::clone(&links)));
                links
            }
        }
    };
    let (jobs, receiver) = std::sync::mpsc::channel::<Job>();
    let (ready, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let model = checked.model;
        let mut site = match LiveSite::new(&model, &theme, links, before) {
            Ok(site) => site,
            Err(diagnostics) => {
                let _ = ready.send(Err(diagnostics));
                return;
            }
        };
        let _ = ready.send(Ok((model.scenarios.len(), checked.warnings)));
        for job in receiver {
            match job {
                Job::File(path, reply) => {
                    let _ = reply.send(site.answer(&path));
                }
                Job::Changed(path, reply) => {
                    let _ = reply.send(site.changed(&path));
                }
                Job::HandOver(reply) => {
                    let _ = reply.send(site.rendered.clone());
                }
            }
        }
    });
    match started.recv() {
        Ok(Ok((scenarios, warnings))) => Ok((jobs, scenarios, warnings)),
        Ok(Err(diagnostics)) => Err(crate::Failure {
            diagnostics,
            sources: crate::diag::Sources::default(),
        }),
        Err(_) => Err(crate::Failure {
            diagnostics: vec![Diagnostic::error_nowhere("the preview could not start")],
            sources: crate::diag::Sources::default(),
        }),
    }
}

/// One checked knowledge base: its planner and renderer, and the files
/// rendered so far.
struct LiveSite<'m> {
    model: &'m crate::model::Model,
    planner: crate::plan::Planner<'m>,
    renderer: crate::render::Renderer<'m>,
    theme: &'m crate::render::Theme,

    files: HashMap<String, Arc<Vec<u8>>>,
    data_ready: bool,
    /// The pages the site before this one rendered.
    before: Before,
    /// The pages this one rendered, for the next.
    rendered: Before,
}

impl<'m> LiveSite<'m> {
    fn new(
        model: &'m crate::model::Model,
        theme: &'m crate::render::Theme,
        links: Arc<Links>,
        before: Before,
    ) -> Result<Self, Vec<Diagnostic>> {
        let planner = crate::plan::Planner::new(model, &PlanOptions::default());
        let renderer =
            crate::render::Renderer::with_links(theme, links, Arc::clone(&model.site.messages))?;

        Ok(LiveSite {
            model,
            planner,
            renderer,
            theme,
            files: HashMap::new(),
            data_ready: false,
            before,
            rendered: Before::default(),
        })
    }

    /// The page at `path`, rendered once and kept, or the one the site
    /// before rendered of the same inputs; `None` when there is none.
    fn render(&mut self, path: &str) -> Option<Arc<Vec<u8>>> {
        let page = self.planner.page(path)?;
        let made = match self.renderer.page_unless_kept(page, &self.before) {
            Ok(Some(file)) => file
                .made_from
                .map(|made_from| (made_from, Arc::new(file.bytes))),
            Ok(None) => self.before.0.get(path).cloned(),
            Err(problem) => {
                let bytes = Arc::new(error_page(&[problem.to_string()]));
                self.files.insert(path.to_owned(), Arc::clone(&bytes));
                return Some(bytes);
            }
        };
        let (made_from, bytes) = made?;
        self.files.insert(path.to_owned(), Arc::clone(&bytes));
        (self.rendered.0).insert(path.to_owned(), (made_from, Arc::clone(&bytes)));
        Some(bytes)
    }

    /// Whether the page at `path` is not what the site before this one
    /// served there.
    fn changed(&mut self, path: &str) -> bool {
        let before = self.before.0.get(path).map(|(_, bytes)| Arc::clone(bytes));
        match (before, self.answer(path)) {
            (Some(before), Answer::File(now)) => before != now,
            _ => true,
        }
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
            for file in self.planner.files().0 {
                let path = file.path.clone();
                let bytes = match self.renderer.data_file(file) {
                    Ok(file) => file.bytes,
                    Err(problem) => error_page(&[problem.to_string()]),
                };
                self.files.insert(path, Arc::new(bytes));
            }
            for page in self.planner.crawler_pages(&self.planner.page_ids()) {
                if let Ok(file) = self.renderer.page(page) {
                    self.files.insert(file.path, Arc::new(file.bytes));
                }
            }
            for file in &self.model.static_files {
                let bytes = match crate::write::read_static(file) {
                    Ok(read) => read.bytes,
                    Err(problem) => error_page(&[problem.to_string()]),
                };
                self.files
                    .insert(crate::write::site_path(file), Arc::new(bytes));
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

/// Sends a site thread the job `job` makes with a reply channel, and waits
/// for the reply; `otherwise` when the thread is gone or takes over a
/// minute.
fn request<T>(
    site: &std::sync::mpsc::Sender<Job>,
    job: impl FnOnce(std::sync::mpsc::Sender<T>) -> Job,
    otherwise: T,
) -> T {
    let (reply, answer) = std::sync::mpsc::channel();
    if site.send(job(reply)).is_err() {
        return otherwise;
    }
    answer
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or(otherwise)
}

/// Asks the current site thread for a path.
fn ask(site: &std::sync::mpsc::Sender<Job>, path: &str) -> Answer {
    request(
        site,
        |reply| Job::File(path.to_owned(), reply),
        Answer::Missing,
    )
}

/// Asks a site thread whether the page at `path` changed with its site.
fn ask_changed(site: &std::sync::mpsc::Sender<Job>, path: &str) -> bool {
    request(site, |reply| Job::Changed(path.to_owned(), reply), true)
}

/// The pages a site thread rendered, for the site that replaces it.
fn hand_over(site: &std::sync::mpsc::Sender<Job>) -> Before {
    request(site, Job::HandOver, Before::default())
}
