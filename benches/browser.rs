//! `serve` as an editor sees it: from saving a policy to the new text on the page in
//! the browser (headless Chromium), on `sources/2021-Q4`:
//! `cargo bench --bench browser -- --bin PATH [--rounds N] [--json FILE]`.
//! Prints figures; asserts nothing. `scripts/bench` runs it with the release binary
//! and puts the median in its report.
//!
//! The binary serves a copy of the edition; Chromium opens the edited policy's page;
//! each round writes the policy with a new sentence and polls the page (a few
//! milliseconds apart, over the DevTools protocol) until the sentence is on it: the
//! file watcher, the rebuild, the reload event and the page's reload, all counted.

use std::ffi::OsStr;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions};

mod common;
use common::copy_dir;

const POLICY: &str = "优化营商环境/强化节能.md";
const PAGE: &str = "html/优化营商环境-强化节能.html";
const SENTENCE: &str = "节能是生态文明建设的内在要求";

struct Args {
    bin: PathBuf,
    rounds: usize,
    json: Option<PathBuf>,
}

fn args() -> Args {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args =
        Args { bin: root.join("target/release/huibian"), rounds: 7, json: None };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--bin" => args.bin = it.next().map(PathBuf::from).unwrap_or(args.bin),
            "--rounds" => {
                args.rounds = it.next().and_then(|n| n.parse().ok()).unwrap_or(7)
            }
            "--json" => args.json = it.next().map(PathBuf::from),
            _ => {} // `cargo bench` passes `--bench`.
        }
    }
    args
}

/// The server, stopped however the bench ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn main() {
    let args = args();
    assert!(args.bin.is_file(), "no huibian at {} (--bin PATH)", args.bin.display());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = tempfile::tempdir().unwrap();
    let edition = project.path().join("sources/2021-Q4");
    copy_dir(&root.join("sources/2021-Q4"), &edition);
    let policy = edition.join(POLICY);
    let original = std::fs::read_to_string(&policy).unwrap();
    assert!(original.contains(SENTENCE), "the sentence to edit is in {POLICY}");

    let port = free_port();
    let _server = Server(
        Command::new(&args.bin)
            .args(["serve", "2021-Q4", "--port", &port.to_string()])
            .current_dir(project.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );

    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let profile = tempfile::tempdir().unwrap();
    let flags: Vec<&OsStr> =
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
            .iter()
            .map(OsStr::new)
            .collect();
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(chromium))
            .headless(true)
            .sandbox(false)
            .user_data_dir(Some(profile.path().to_path_buf()))
            .idle_browser_timeout(Duration::from_secs(120))
            .args(flags)
            .build()
            .unwrap(),
    )
    .unwrap();
    let tab = browser.new_tab().unwrap();
    let url = format!("http://127.0.0.1:{port}/{PAGE}");
    let shows = |text: &str| -> bool {
        let script =
            format!("document.body ? document.body.innerText.includes({text:?}) : false");
        tab.evaluate(&script, false)
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    };
    // The first build: the page answers once it is done.
    let started = Instant::now();
    loop {
        if tab.navigate_to(&url).and_then(|t| t.wait_until_navigated()).is_ok()
            && shows(SENTENCE)
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "serve did not come up");
        std::thread::sleep(Duration::from_millis(200));
    }
    println!("first build served after {:.1} s", started.elapsed().as_secs_f64());

    let mut times = Vec::new();
    for round in 0..args.rounds {
        // Let the last round's build end, as an editor pauses between saves.
        std::thread::sleep(Duration::from_millis(1500));
        let marker = format!("（第{round}稿）");
        let edited = original.replacen("节能是", &format!("节能{marker}是"), 1);
        // A mark on the page's window: gone after a reload, kept by an update in place.
        tab.evaluate("window.__huibianKept = true", false).unwrap();
        let saved = Instant::now();
        let saved_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as f64;
        std::fs::write(&policy, edited).unwrap();
        loop {
            if shows(&marker) {
                break;
            }
            assert!(
                saved.elapsed() < Duration::from_secs(30),
                "round {round}: never shown"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        let shown = saved.elapsed();
        let at = |name: &str| {
            tab.evaluate(&format!("window.{name} || 0"), false)
                .ok()
                .and_then(|r| r.value)
                .and_then(|v| v.as_f64())
                .map_or(f64::NAN, |t| t - saved_at)
        };
        let kept = tab
            .evaluate("window.__huibianKept === true", false)
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        // The page's own clock says when it had the new text; the polling above only
        // finds out later (each look is a DevTools round trip).
        let updated = at("huibianUpdatedAt");
        let figure = if kept && updated.is_finite() && updated > 0.0 {
            Duration::from_secs_f64(updated / 1000.0)
        } else {
            shown
        };
        println!(
            "round {round}: the page heard of the build after {:.0} ms and showed the new text after {:.0} ms ({}; seen by polling after {:.0} ms)",
            at("huibianReloadAt"),
            figure.as_secs_f64() * 1000.0,
            if kept { "updated in place" } else { "reloaded" },
            shown.as_secs_f64() * 1000.0
        );
        times.push(figure);
    }
    times.sort();
    let median = times[times.len() / 2];
    let ms = median.as_secs_f64() * 1000.0;
    println!(
        "median: save → new text in the browser {ms:.0} ms (min {:.0}, max {:.0})",
        times[0].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    );
    if let Some(path) = args.json {
        std::fs::write(
            path,
            format!("{{\"serve: save → browser shows new HTML\": {ms:.2}}}\n"),
        )
        .unwrap();
    }
}
