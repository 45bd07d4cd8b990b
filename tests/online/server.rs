//! A small HTTP/1.1 server on 127.0.0.1, for the online tests and the
//! latency benchmark: a thread per connection, keep-alive, an optional delay
//! before each answer, and a log of what it was asked.
//!
//! It listens on 127.0.0.1 only, on a port the system picks; nothing here
//! opens a connection anywhere.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// When the request arrived.
    pub at: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Status(u16),
    /// A status with headers, such as `Location` or `Retry-After`.
    With(u16, Vec<(&'static str, String)>),
    /// Never answer: hold the connection until the client gives up.
    Hang,
}

impl Reply {
    pub fn redirect(status: u16, location: &str) -> Self {
        Reply::With(status, vec![("Location", location.to_string())])
    }
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

struct Shared {
    handler: Box<Handler>,
    latency: Duration,
    log: Mutex<Vec<Request>>,
    hits: Mutex<HashMap<String, usize>>,
    connections: AtomicUsize,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

pub struct Server {
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl Server {
    /// Starts a server that waits `latency` before each answer, and answers
    /// what `handler` says for a request and its number among the requests
    /// for that path (1 for the first).
    pub fn start(
        latency: Duration,
        handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            latency,
            log: Mutex::default(),
            hits: Mutex::default(),
            connections: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            most_in_flight: AtomicUsize::new(0),
        });
        let accepting = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                accepting.connections.fetch_add(1, Ordering::SeqCst);
                let shared = Arc::clone(&accepting);
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        Self { address, shared }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Every request so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.log.lock().unwrap().clone()
    }

    /// The requests for one path.
    pub fn requests_for(&self, path: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// The most requests it was answering at one time.
    pub fn most_in_flight(&self) -> usize {
        self.shared.most_in_flight.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream, shared: &Shared) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    // A TLS ClientHello on this plain port: answer in plain HTTP and close,
    // as a misconfigured server would.
    if reader.fill_buf().map_or(true, |b| b.first() == Some(&0x16)) {
        let _ = writer.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
    }
    while let Some(request) = read_request(&mut reader) {
        let hit = {
            let mut hits = shared.hits.lock().unwrap();
            let hit = hits.entry(request.path.clone()).or_default();
            *hit += 1;
            *hit
        };
        shared.log.lock().unwrap().push(request.clone());
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.most_in_flight.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(shared.latency);
        let reply = (shared.handler)(&request, hit);
        shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        let (status, headers) = match reply {
            Reply::Status(status) => (status, Vec::new()),
            Reply::With(status, headers) => (status, headers),
            Reply::Hang => {
                // Until the client closes the connection.
                let _ = std::io::copy(&mut reader, &mut std::io::sink());
                return;
            }
        };
        // A ranged GET gets the one byte it asked for.
        let body: &[u8] = if request.method == "GET" { b"x" } else { b"" };
        let mut head = format!(
            "HTTP/1.1 {status} Status\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let written = writer
            .write_all(head.as_bytes())
            .and_then(|()| writer.write_all(body))
            .and_then(|()| writer.flush());
        if written.is_err() {
            return;
        }
    }
    let _ = writer.shutdown(Shutdown::Both);
}

/// The next request on the connection; `None` when the client closed it.
fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok().filter(|&n| n > 0)?;
    let at = Instant::now();
    let mut words = line.split_whitespace();
    let method = words.next()?.to_string();
    let path = words.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok().filter(|&n| n > 0)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    // Requests here carry no body; skip one if announced.
    let length: u64 = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    std::io::copy(&mut reader.take(length), &mut std::io::sink()).ok()?;
    Some(Request {
        method,
        path,
        headers,
        at,
    })
}
