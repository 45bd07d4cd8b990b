//! An HTTPS server on 127.0.0.1 for the online tests. Its certificate, for
//! `localhost` and 127.0.0.1, is signed by a certificate authority made for
//! these tests only (tls/ca.pem; tls/make.sh made both), which stands for a
//! TLS-inspecting proxy's. It answers 200 to every request and logs their
//! paths: a client that refuses the certificate leaves none.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

pub struct TlsServer {
    address: SocketAddr,
    paths: Arc<Mutex<Vec<String>>>,
}

/// The folder of the test certificates.
pub fn certificates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/online/tls")
}

impl TlsServer {
    pub fn start() -> Self {
        let chain = CertificateDer::pem_file_iter(certificates().join("server.pem"))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_file(certificates().join("server.key")).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = listener.local_addr().unwrap();
        let paths = Arc::new(Mutex::new(Vec::new()));
        let logged = Arc::clone(&paths);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let config = Arc::clone(&config);
                let logged = Arc::clone(&logged);
                std::thread::spawn(move || serve(stream, config, &logged));
            }
        });
        Self { address, paths }
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The paths asked for so far, in order of arrival.
    pub fn paths(&self) -> Vec<String> {
        self.paths.lock().unwrap().clone()
    }
}

/// One request on one connection: the handshake, the request's head, 200.
fn serve(stream: TcpStream, config: Arc<ServerConfig>, logged: &Mutex<Vec<String>>) {
    let Ok(connection) = ServerConnection::new(config) else {
        return;
    };
    let mut reader = BufReader::new(StreamOwned::new(connection, stream));
    let mut line = String::new();
    // A client that refuses the certificate ends the handshake: no request.
    if reader.read_line(&mut line).map_or(true, |n| n == 0) {
        return;
    }
    let Some(path) = line.split_whitespace().nth(1).map(str::to_string) else {
        return;
    };
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 0 && !header.trim().is_empty() => {}
            _ => break,
        }
    }
    logged.lock().unwrap().push(path);
    let tls = reader.get_mut();
    let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    tls.conn.send_close_notify();
    let _ = tls.flush();
}
