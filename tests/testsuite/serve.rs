//! `huibian serve`: edits show up in the served pages and toc.json, the browser is
//! told to reload, and a broken edit shows its error without stopping the server.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::prelude::*;

/// Kills the server when the test ends, however it ends.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A plain HTTP GET on loopback: (status line, body).
pub(crate) fn get(port: u16, path: &str) -> Option<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((head.lines().next()?.to_string(), body.to_string()))
}

/// Polls until `ok` holds for the body at `path`, for at most two minutes.
pub(crate) fn wait_for(
    port: u16,
    path: &str,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let started = Instant::now();
    loop {
        if let Some((status, body)) = get(port, path)
            && status.contains("200")
            && ok(&body)
        {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn edits_are_served_and_reloaded_and_errors_shown_without_stopping() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    copy_dir(&fixture("basic"), &dir.join("sources/ed"));
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_huibian"))
        .args(["serve", "ed", "--port", &port.to_string()])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _server = Server(child);

    let index = wait_for(port, "/", "the first build", |b| {
        b.contains("北京市支持民营企业高质量发展政策汇编") && !b.contains("正在构建")
    });
    assert!(index.contains("lang=\"zh-CN\""));
    let toc = wait_for(port, "/toc.json", "toc.json", |_| true);
    let pages_before: serde_json::Value = serde_json::from_str(&toc).unwrap();

    // Listen for the reload event.
    let events = Arc::new(Mutex::new(String::new()));
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET /__events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let sink = events.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 1024];
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
    std::thread::sleep(Duration::from_millis(300));

    // A page of an earlier build (the placeholder is build 0) is told to reload at
    // once, when it opens its stream after the build it missed.
    let mut late = TcpStream::connect(("127.0.0.1", port)).unwrap();
    late.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(late, "GET /__events?since=0 HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut said = String::new();
    let mut buffer = [0u8; 1024];
    while !said.contains("event: reload") {
        let n = late.read(&mut buffer).unwrap();
        assert!(n > 0, "the stream ended without a reload: {said}");
        said.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }

    // An edit: a new title for the first policy, and a long block that adds pages.
    let policy = dir.join("sources/ed/优化营商环境/规范性文件失效.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    let block =
        "\n按照本决定要求，各单位应当认真做好文件清理后续工作，确保政策衔接平稳有序。\n"
            .repeat(80);
    let edited = text.replacen(
        "宣布部分行政规范性文件失效的决定",
        "宣布部分行政规范性文件失效的决定（修订）",
        1,
    ) + &block;
    std::fs::write(&policy, &edited).unwrap();
    wait_for(port, "/", "the edited title", |b| b.contains("失效的决定（修订）"));
    let toc = wait_for(port, "/toc.json", "the new toc.json", |b| {
        b.contains("失效的决定（修订）")
    });
    let pages_after: serde_json::Value = serde_json::from_str(&toc).unwrap();
    assert!(pages_after["pages"].as_u64() > pages_before["pages"].as_u64());
    let written = std::fs::read_to_string(dir.join("out/ed/toc.json")).unwrap();
    assert!(written.contains("失效的决定（修订）"), "outputs are written to out/ too");
    let started = Instant::now();
    while !events.lock().unwrap().contains("event: reload") {
        assert!(started.elapsed() < Duration::from_secs(30), "no reload event");
        std::thread::sleep(Duration::from_millis(100));
    }

    // A broken edit: the overlay shows the error, the last good version stays.
    std::fs::write(&policy, edited.replacen("issuer:", "issuer: [", 1)).unwrap();
    let broken =
        wait_for(port, "/", "the error overlay", |b| b.contains("huibian-errors"));
    assert!(broken.contains("规范性文件失效.md:4:7"), "{broken}");
    assert!(broken.contains("失效的决定（修订）"), "the last good page is still served");
    // Fixed again: the overlay goes away.
    std::fs::write(&policy, &edited).unwrap();
    wait_for(port, "/", "the overlay to clear", |b| !b.contains("huibian-errors"));
}

/// The listening TCP sockets of process `pid`, as (address, port), read from
/// /proc/net/tcp{,6} through the socket inodes in /proc/<pid>/fd.
fn listening_sockets(pid: u32) -> Vec<(std::net::IpAddr, u16)> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|link| {
            let link = link.to_str()?;
            Some(link.strip_prefix("socket:[")?.strip_suffix(']')?.to_string())
        })
        .collect();
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else { continue };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // local_address is fields[1], the state fields[3] (0A: LISTEN), the inode fields[9].
            if fields[3] != "0A" || !inodes.iter().any(|inode| inode == fields[9]) {
                continue;
            }
            let (addr, port) = fields[1].split_once(':').unwrap();
            let port = u16::from_str_radix(port, 16).unwrap();
            // The address is in network order, printed as 32-bit words in host order.
            let bytes: Vec<u8> = (0..addr.len() / 8)
                .flat_map(|word| {
                    let word =
                        u32::from_str_radix(&addr[word * 8..word * 8 + 8], 16).unwrap();
                    word.to_ne_bytes()
                })
                .collect();
            let ip = match bytes.len() {
                4 => std::net::IpAddr::from(<[u8; 4]>::try_from(bytes).unwrap()),
                _ => std::net::IpAddr::from(<[u8; 16]>::try_from(bytes).unwrap()),
            };
            found.push((ip, port));
        }
    }
    found
}

/// Starts `huibian serve` on the fixture with `extra` arguments and returns the
/// sockets it listens on, once it answers.
fn serve_listening(extra: &[&str]) -> Vec<(std::net::IpAddr, u16)> {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    copy_dir(&fixture("basic"), &dir.join("sources/ed"));
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_huibian"))
        .args(["serve", "ed", "--port", &port.to_string()])
        .args(extra)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    wait_for(port, "/", "the server", |_| true);
    let sockets = listening_sockets(server.0.id());
    assert!(
        sockets.iter().all(|(_, p)| *p == port),
        "listens on {port} and nothing else: {sockets:?}"
    );
    sockets
}

#[test]
fn serve_listens_on_loopback_only_unless_told() {
    let loopback = std::net::IpAddr::from([127, 0, 0, 1]);
    let sockets = serve_listening(&[]);
    assert_eq!(
        sockets.iter().map(|s| s.0).collect::<Vec<_>>(),
        [loopback],
        "{sockets:?}"
    );
    // The same reading sees a wildcard listener, so the check above cannot pass by
    // failing to see sockets.
    let sockets = serve_listening(&["--bind", "0.0.0.0"]);
    let any = std::net::IpAddr::from([0, 0, 0, 0]);
    assert_eq!(sockets.iter().map(|s| s.0).collect::<Vec<_>>(), [any], "{sockets:?}");
}
