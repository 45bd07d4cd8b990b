//! Benchmark: `chatlint check --online` on 2,000 distinct image URLs against
//! a server on 127.0.0.1 that waits 50 ms before each answer. The wall time
//! should come close to URLs × latency / concurrency, the time the requests
//! take when exactly `concurrency` of them are always in flight.
//!
//!     cargo bench --bench online_latency
//!
//! Environment: URLS (default 2000), LATENCY_MS (default 50). Each run gets a
//! fresh server and `--no-cache`. Not a test: it prints a Markdown table.

// The tests use more of the server than this does.
#[allow(dead_code)]
#[path = "../tests/online/server.rs"]
mod server;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use server::{Reply, Server};

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Transcripts of 100 messages, each with one image.
fn write_transcripts(dir: &std::path::Path, server: &Server, urls: u64) {
    for file in 0..urls.div_ceil(100) {
        let mut text = String::from(
            "---\nlayout: source\ntitle: \"2017-08-25-WeChat\"\ndate: 2017-08-25 12:00:00\n---\n",
        );
        for i in file * 100..((file + 1) * 100).min(urls) {
            let (minute, second) = (i / 60 % 60, i % 60);
            text.push_str(&format!(
                "> 07:{minute:02}:{second:02}  右军  \n   \n![图]({}) \n   \n",
                server.url(&format!("/img/{i:05}.png"))
            ));
        }
        std::fs::write(dir.join(format!("post-{file:03}.md")), text).unwrap();
    }
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("online_latency: run it with `cargo bench --bench online_latency`");
        return;
    }
    let urls = number("URLS", 2000);
    let latency = Duration::from_millis(number("LATENCY_MS", 50));
    let chatlint = env!("CARGO_BIN_EXE_chatlint");
    println!(
        "{urls} image URLs, one server on 127.0.0.1 answering each HEAD after {} ms\n",
        latency.as_millis()
    );
    println!("| --concurrency | --per-host-concurrency | wall time | ideal (URLs × latency / in flight) | wall / ideal | most in flight at the server |");
    println!("|---:|---:|---:|---:|---:|---:|");
    // One host: the per-host limit caps what is in flight, so the first
    // runs raise it to the global limit; the last keeps the default 4.
    for (concurrency, per_host) in [(16, 16), (64, 64), (16, 4)] {
        let server = Server::start(latency, |_, _| Reply::Status(200));
        let dir = tempfile::tempdir().unwrap();
        write_transcripts(dir.path(), &server, urls);
        let mut command = Command::new(chatlint);
        command
            // The server is on loopback, which is refused without it.
            .args([
                "check",
                "--online",
                "--allow-private",
                "--no-cache",
                "--quiet",
            ])
            .args(["--concurrency", &concurrency.to_string()])
            .args(["--per-host-concurrency", &per_host.to_string()])
            .arg(dir.path())
            .stdout(Stdio::null());
        for proxy in ["http_proxy", "https_proxy", "all_proxy"] {
            command
                .env_remove(proxy)
                .env_remove(proxy.to_ascii_uppercase());
        }
        let start = Instant::now();
        let status = command.status().unwrap();
        let wall = start.elapsed();
        assert!(status.success(), "chatlint found something: {status}");
        assert_eq!(server.requests().len() as u64, urls, "each URL once");
        let in_flight = concurrency.min(per_host);
        let ideal = latency.mul_f64(urls as f64 / in_flight as f64);
        println!(
            "| {concurrency} | {per_host} | {:.2} s | {:.2} s | {:.2} | {} |",
            wall.as_secs_f64(),
            ideal.as_secs_f64(),
            wall.as_secs_f64() / ideal.as_secs_f64(),
            server.most_in_flight()
        );
    }
    println!(
        "\nmachine: {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}
