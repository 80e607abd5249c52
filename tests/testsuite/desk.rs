//! The editor's desk (`serve --edit`) in a real browser, through a whole session on a
//! copy of 2021-Q4: open a policy, change a sentence and save it (the file and the
//! preview follow), break its header (the finding at its line, the last good page
//! stays), drag a policy to another category (edition.toml and the TOC follow), drop a
//! saved government page onto a category, undo, and a save of a file changed on disk
//! meanwhile refused. Then the page's own save request replayed without its token,
//! from a foreign Origin and under a foreign Host: each refused, the file unchanged.
//! The desk loads nothing from outside the server. Screenshots of each step at
//! 1280 px are written to `target/desk-screens/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::Tab;
use headless_chrome::protocol::cdp::Page;

use crate::browser::{chromium, eval, eval_str, launch, watch};
use crate::prelude::*;
use crate::serve::{Server, free_port, wait_for};

/// The policy edited, and a sentence of it.
const EDITED: &str = "优化营商环境/强化节能.md";
const SENTENCE: &str = "节能是生态文明建设的内在要求";
const CHANGED: &str = "节能是高质量发展的内在要求";
/// A policy with markup in its title, added to the copy, later removed from the desk.
const HOSTILE: &str = "优化营商环境/恶意.md";
/// The policy dragged, from 科技创新领域 (index 1) to 商贸服务领域 (index 2).
const DRAGGED: &str = "科技创新领域/数字贸易.md";

fn screens() -> PathBuf {
    let dir = root().join("target/desk-screens");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn screenshot(tab: &Tab, name: &str) {
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    std::fs::write(screens().join(format!("{name}.png")), png).unwrap();
}

/// Polls `expression` in the page until it is true, for at most a minute.
fn wait_until(tab: &Tab, expression: &str, what: &str) {
    let started = Instant::now();
    loop {
        if tab.evaluate(expression, false).ok().and_then(|r| r.value)
            == Some(serde_json::Value::Bool(true))
        {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what} ({expression}); status: {}",
            eval(tab, "document.getElementById('status').textContent")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Polls a condition on disk until it holds, for at most a minute.
fn wait_for_disk(what: &str, ok: impl Fn() -> bool) {
    let started = Instant::now();
    while !ok() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A raw HTTP request: (status code, body).
fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body =
        text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// The desk's API called from the page, as the page calls it; the JSON answer.
fn page_api(tab: &Tab, method: &str, route: &str) -> serde_json::Value {
    let expression = format!(
        "fetch('/__desk/api/{route}', {{method: '{method}', headers: {{'X-Huibian-Token': sessionStorage.getItem('huibian-token')}}}}).then(r => r.text())"
    );
    let result =
        tab.evaluate(&expression, true).unwrap_or_else(|e| panic!("{route}: {e:#}"));
    let text =
        result.value.and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{route}: {e}: {text}"))
}

fn start(project: &Path) -> (Server, u16, String, Arc<Mutex<String>>) {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_huibian"))
        .args(["serve", "2021-Q4", "--edit", "--port", &port.to_string()])
        .current_dir(project)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let sink = log.clone();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push_str(&(line + "\n"));
        }
    });
    let server = Server(child);
    let started = Instant::now();
    let url = loop {
        let text = log.lock().unwrap().clone();
        if let Some(at) = text.find("http://127.0.0.1") {
            let url: String = text[at..].split_whitespace().next().unwrap().to_string();
            if url.contains("__desk/?token=") {
                break url;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no desk address printed: {text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    wait_for(port, "/", "the first build", |b| !b.contains("正在构建"));
    (server, port, url, log)
}

#[test]
fn an_editor_makes_the_edition_in_the_browser() {
    let chromium = chromium();
    let project = tempfile::tempdir().unwrap();
    let edition = project.path().join("sources/2021-Q4");
    copy_dir(&root().join("sources/2021-Q4"), &edition);
    // A policy whose title and text are markup: the desk shows them as text.
    std::fs::write(
        edition.join(HOSTILE),
        "---\ntitle: '<img src=x onerror=\"window.pwned=1\">恶意标题</b>'\n---\n<script>window.pwned=2</script>正文。\n",
    )
    .unwrap();
    let manifest_text = std::fs::read_to_string(edition.join("edition.toml")).unwrap();
    std::fs::write(
        edition.join("edition.toml"),
        manifest_text.replacen(
            "  \"优化营商环境/强化节能.md\",\n",
            &format!("  \"优化营商环境/强化节能.md\",\n  \"{HOSTILE}\",\n"),
            1,
        ),
    )
    .unwrap();
    let (_server, port, url, log) = start(project.path());
    let token = url.split("token=").nth(1).unwrap().to_string();

    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(30));
    let seen = watch(&tab);

    // The edition: 7 categories, 24 policies (2021-Q4's and the hostile one), each
    // with its page.
    tab.navigate_to(&url).unwrap();
    wait_until(
        &tab,
        "document.querySelectorAll('.policy').length === 24",
        "the edition's policies",
    );
    assert_eq!(eval(&tab, "document.querySelectorAll('.category').length"), 7);
    wait_until(
        &tab,
        "Array.from(document.querySelectorAll('.policy .page')).every(p => /^第\\d+页$/.test(p.textContent))",
        "every policy's page",
    );
    assert_eq!(
        eval_str(&tab, "location.search"),
        "",
        "the token is taken out of the address bar"
    );
    let shown = eval_str(
        &tab,
        &format!(
            "document.querySelector('.policy[data-path=\"{HOSTILE}\"] .title').textContent"
        ),
    );
    assert_eq!(
        shown, "<img src=x onerror=\"window.pwned=1\">恶意标题</b>",
        "a title is shown as text"
    );
    assert_eq!(
        eval(&tab, "document.querySelectorAll('#outline img, #outline b').length"),
        0
    );
    screenshot(&tab, "01-edition");

    // Open a policy, change a sentence, save with Ctrl-S.
    tab.evaluate(
        &format!("document.querySelector('.policy[data-path=\"{EDITED}\"]').click()"),
        false,
    )
    .unwrap();
    wait_until(
        &tab,
        &format!("document.getElementById('body').value.includes('{SENTENCE}')"),
        "the policy's text",
    );
    assert_eq!(
        eval_str(&tab, "document.querySelector('#fields [name=title]').value"),
        "北京市进一步强化节能实施方案"
    );
    assert_eq!(
        eval_str(&tab, "document.getElementById('gutter').firstChild.textContent"),
        "4",
        "the body starts at line 4"
    );
    screenshot(&tab, "02-policy");
    tab.evaluate(
        &format!(
            "(a => {{ a.value = a.value.replace('{SENTENCE}', '{CHANGED}'); a.dispatchEvent(new Event('input')); }})(document.getElementById('body'))"
        ),
        false,
    )
    .unwrap();
    tab.press_key_with_modifiers(
        "s",
        Some(&[headless_chrome::browser::tab::ModifierKey::Ctrl]),
    )
    .unwrap();
    wait_until(
        &tab,
        "document.getElementById('status').textContent.startsWith('已保存')",
        "the save",
    );
    let text = std::fs::read_to_string(edition.join(EDITED)).unwrap();
    assert!(text.contains(CHANGED) && !text.contains(SENTENCE), "{text}");
    assert!(
        text.starts_with("---\ntitle: 北京市进一步强化节能实施方案\n---\n"),
        "the header is as it was: {text}"
    );
    // The preview beside it shows the new sentence once the build is done.
    wait_until(
        &tab,
        &format!(
            "(d => !!d && d.body.textContent.includes('{CHANGED}'))(document.getElementById('preview').contentDocument)"
        ),
        "the preview of the saved text",
    );
    screenshot(&tab, "03-saved");

    // Break the header: the finding at its line, the last good page stays.
    let good_pdf = wait_for(port, "/toc.json", "toc.json", |_| true);
    tab.evaluate("document.getElementById('raw-header').click()", false).unwrap();
    tab.evaluate(
        "(t => { t.value = 'title: 北京市进一步强化节能实施方案\\ndate: [2021\\n'; t.dispatchEvent(new Event('input')); })(document.getElementById('header-text'))",
        false,
    )
    .unwrap();
    tab.evaluate("document.getElementById('save').click()", false).unwrap();
    wait_until(
        &tab,
        "document.querySelectorAll('#findings li.error').length > 0",
        "the finding of the broken header",
    );
    let finding =
        eval_str(&tab, "document.querySelector('#findings li.error').textContent");
    assert!(
        finding.contains("第3行"),
        "the finding is at the header's line 3: {finding}"
    );
    assert_eq!(
        eval(&tab, "document.getElementById('header-raw').hidden"),
        false,
        "the header is shown as text"
    );
    wait_for(port, "/", "the error overlay", |b| b.contains("huibian-errors"));
    assert_eq!(
        wait_for(port, "/toc.json", "toc.json", |_| true),
        good_pdf,
        "the last good build is still served"
    );
    screenshot(&tab, "04-broken-header");
    // Mended as text.
    tab.evaluate(
        "(t => { t.value = 'title: 北京市进一步强化节能实施方案\\n'; t.dispatchEvent(new Event('input')); })(document.getElementById('header-text'))",
        false,
    )
    .unwrap();
    tab.evaluate("document.getElementById('save').click()", false).unwrap();
    wait_until(
        &tab,
        "!document.getElementById('fields').hidden && document.querySelectorAll('#findings li.error').length === 0",
        "the mended header",
    );
    wait_for(port, "/", "the overlay gone", |b| !b.contains("huibian-errors"));

    // Drag 数字贸易 onto 商贸服务领域: edition.toml and then the TOC follow.
    tab.evaluate(
        &format!(
            "(() => {{ const dt = new DataTransfer();
               const from = document.querySelector('.policy[data-path=\"{DRAGGED}\"]');
               const to = document.querySelector('.category[data-index=\"2\"]');
               from.dispatchEvent(new DragEvent('dragstart', {{dataTransfer: dt, bubbles: true}}));
               to.dispatchEvent(new DragEvent('dragover', {{dataTransfer: dt, bubbles: true, cancelable: true}}));
               to.dispatchEvent(new DragEvent('drop', {{dataTransfer: dt, bubbles: true, cancelable: true}})); }})()"
        ),
        false,
    )
    .unwrap();
    let manifest = edition.join("edition.toml");
    wait_for_disk("the move in edition.toml", || {
        let text = std::fs::read_to_string(&manifest).unwrap();
        let trade = text.find("title    = \"商贸服务领域\"").unwrap();
        text.find(&format!("\"{DRAGGED}\"")).is_some_and(|at| at > trade)
    });
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        text.starts_with("title     = \"北京市支持民营企业高质量发展政策汇编\"\n"),
        "the manifest's layout is kept: {text}"
    );
    wait_for(port, "/toc.json", "the TOC with the policy moved", |toc| {
        let toc: serde_json::Value = serde_json::from_str(toc).unwrap();
        let entries = toc["entries"].as_array().unwrap();
        let category = entries.iter().position(|e| e["title"] == "商贸服务领域").unwrap();
        let policy = entries.iter().position(|e| e["source"] == DRAGGED).unwrap();
        let next = entries
            .iter()
            .skip(category + 1)
            .position(|e| e["level"] == 1)
            .map_or(usize::MAX, |n| n + category + 1);
        policy > category && policy < next
    });
    wait_until(
        &tab,
        &format!(
            "!!document.querySelector('.category[data-index=\"2\"] .policy[data-path=\"{DRAGGED}\"]')"
        ),
        "the outline with the policy moved",
    );
    screenshot(&tab, "05-moved");

    // Drop a saved gov.cn page onto 商贸服务领域: `add` reads it, the form opens on it.
    let page =
        std::fs::read(root().join("tests/fixtures/intake/html/govcn.html")).unwrap();
    let bytes: Vec<String> = page.iter().map(u8::to_string).collect();
    tab.evaluate(
        &format!(
            "(() => {{ const dt = new DataTransfer();
               dt.items.add(new File([new Uint8Array([{}])], 'govcn.html', {{type: 'text/html'}}));
               const to = document.querySelector('.category[data-index=\"2\"]');
               to.dispatchEvent(new DragEvent('drop', {{dataTransfer: dt, bubbles: true, cancelable: true}})); }})()",
            bytes.join(",")
        ),
        false,
    )
    .unwrap();
    wait_until(
        &tab,
        "document.getElementById('status').textContent.startsWith('已添加')",
        "the added page",
    );
    let added = std::fs::read_to_string(&manifest).unwrap();
    let new_file = added
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('"'))
        .map(|l| l.trim_end_matches(',').trim_matches('"'))
        .find(|l| l.ends_with(".md") && !text.contains(&format!("\"{l}\"")))
        .unwrap_or_else(|| panic!("no new policy in {added}"))
        .to_string();
    assert!(edition.join(&new_file).is_file(), "{new_file}");
    wait_until(
        &tab,
        &format!(
            "!!window.huibianDesk.state.file && window.huibianDesk.state.file.path === '{new_file}'"
        ),
        "the new policy opened",
    );
    assert!(
        !eval_str(&tab, "document.querySelector('#fields [name=number]').value")
            .is_empty(),
        "its 文号 is filled in"
    );
    screenshot(&tab, "06-added");

    // Undo: the added policy is gone, the manifest as before.
    tab.evaluate("document.getElementById('undo').click()", false).unwrap();
    wait_until(
        &tab,
        "document.getElementById('status').textContent.startsWith('已撤销')",
        "the undo",
    );
    assert!(!edition.join(&new_file).exists(), "undo removes the added file");
    assert_eq!(
        std::fs::read_to_string(&manifest).unwrap(),
        text,
        "undo restores edition.toml"
    );
    let history = page_api(&tab, "GET", "history");
    assert!(
        history["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["action"].as_str().unwrap().starts_with("撤销：添加")),
        "{history}"
    );

    // Remove the hostile policy from the desk: its file and its line go, in one
    // change that undo takes back whole.
    tab.evaluate(&format!("window.huibianDesk.openFile('{HOSTILE}')"), false).unwrap();
    wait_until(
        &tab,
        &format!(
            "!!window.huibianDesk.state.file && window.huibianDesk.state.file.path === '{HOSTILE}'"
        ),
        "the hostile policy opened",
    );
    assert_eq!(
        eval(
            &tab,
            "document.getElementById('body').value.includes('<script>window.pwned=2</script>')"
        ),
        true
    );
    tab.evaluate("document.getElementById('remove').click()", false).unwrap();
    wait_until(
        &tab,
        "document.getElementById('dialog').open",
        "the removal's confirmation",
    );
    tab.evaluate("document.getElementById('dialog-ok').click()", false).unwrap();
    wait_until(
        &tab,
        "document.getElementById('status').textContent.startsWith('已删除')",
        "the removal",
    );
    assert!(!edition.join(HOSTILE).exists());
    assert!(!std::fs::read_to_string(&manifest).unwrap().contains(HOSTILE));
    tab.evaluate("document.getElementById('undo').click()", false).unwrap();
    wait_until(
        &tab,
        "document.getElementById('status').textContent.startsWith('已撤销')",
        "the removal undone",
    );
    assert!(edition.join(HOSTILE).is_file());
    assert_eq!(
        std::fs::read_to_string(&manifest).unwrap(),
        text,
        "undo restores the policy's line"
    );
    assert_eq!(eval(&tab, "window.pwned === undefined"), true, "no markup ran");

    // A stale save: the file changes on disk (another editor) while the page holds it.
    tab.evaluate(&format!("window.huibianDesk.openFile('{EDITED}')"), false).unwrap();
    wait_until(
        &tab,
        &format!(
            "!!window.huibianDesk.state.file && window.huibianDesk.state.file.path === '{EDITED}' && !document.getElementById('dialog').open"
        ),
        "the policy reopened",
    );
    let elsewhere = std::fs::read_to_string(edition.join(EDITED)).unwrap()
        + "\n另一位编辑在文本编辑器中加的一段。\n";
    std::fs::write(edition.join(EDITED), &elsewhere).unwrap();
    tab.evaluate(
        "(a => { a.value = a.value + '\\n浏览器里加的一段。\\n'; a.dispatchEvent(new Event('input')); })(document.getElementById('body'))",
        false,
    )
    .unwrap();
    tab.evaluate("document.getElementById('save').click()", false).unwrap();
    wait_until(&tab, "document.getElementById('dialog').open", "the conflict dialog");
    assert!(
        eval_str(&tab, "document.getElementById('dialog-title').textContent")
            .contains("已被别处修改")
    );
    assert!(
        eval_str(&tab, "document.getElementById('dialog-diff').textContent")
            .contains("另一位编辑"),
        "the difference is shown"
    );
    assert_eq!(
        std::fs::read_to_string(edition.join(EDITED)).unwrap(),
        elsewhere,
        "nothing was written"
    );
    screenshot(&tab, "07-conflict");

    // The page's own save, replayed without the token, from another site, under
    // another name: each refused, the file unchanged.
    let version =
        page_api(&tab, "GET", &format!("file?path={}", urlencode(EDITED)))["version"]
            .as_str()
            .unwrap()
            .to_string();
    let body = serde_json::json!({ "path": EDITED, "version": version, "body": "被替换的正文\n" }).to_string();
    let host = format!("127.0.0.1:{port}");
    let own = format!("http://{host}");
    let cases: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "no token",
            vec![("Host", &host), ("Origin", &own), ("Content-Type", "application/json")],
        ),
        (
            "wrong token",
            vec![
                ("Host", &host),
                ("Origin", &own),
                ("X-Huibian-Token", "0123456789abcdef0123456789abcdef"),
            ],
        ),
        (
            "foreign Origin",
            vec![
                ("Host", &host),
                ("Origin", "http://evil.example"),
                ("X-Huibian-Token", &token),
            ],
        ),
        (
            "foreign Host",
            vec![
                ("Host", "evil.example"),
                ("Origin", "http://evil.example"),
                ("X-Huibian-Token", &token),
            ],
        ),
    ];
    for (what, headers) in &cases {
        let (status, answer) = request(port, "POST", "/__desk/api/save", headers, &body);
        assert_eq!(status, 403, "{what}: {answer}");
        assert_eq!(
            std::fs::read_to_string(edition.join(EDITED)).unwrap(),
            elsewhere,
            "{what} changed the file"
        );
    }
    // The same request as the desk sends it is taken: the checks are what refused.
    let (status, answer) = request(
        port,
        "POST",
        "/__desk/api/save",
        &[("Host", &host), ("Origin", &own), ("X-Huibian-Token", &token)],
        &body,
    );
    assert_eq!(status, 200, "{answer}");
    assert!(
        std::fs::read_to_string(edition.join(EDITED))
            .unwrap()
            .ends_with("---\n被替换的正文\n")
    );
    // Downloads: the last build's PDF and the site as a zip.
    let (status, pdf) = request(
        port,
        "GET",
        "/__desk/api/pdf",
        &[("Host", &host), ("X-Huibian-Token", &token)],
        "",
    );
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF-"), "not a PDF");
    let (status, zip) = request(
        port,
        "GET",
        "/__desk/api/site.zip",
        &[("Host", &host), ("X-Huibian-Token", &token)],
        "",
    );
    assert_eq!(status, 200);
    assert!(zip.starts_with("PK"), "not a zip");
    // An upload larger than the desk takes is refused before it is read.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        stream,
        "POST /__desk/api/add?category=0&name=x.html HTTP/1.1\r\nHost: {host}\r\nX-Huibian-Token: {token}\r\nContent-Length: 40000000\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // And a path outside the edition is refused even with the token.
    for path in
        ["../../etc/passwd", "/etc/passwd", "优化营商环境/../../../x.md", "assets/x.png"]
    {
        let (status, _) = request(
            port,
            "GET",
            &format!("/__desk/api/file?path={}", urlencode(path)),
            &[("Host", &host), ("X-Huibian-Token", &token)],
            "",
        );
        assert_eq!(status, 404, "{path}");
    }

    // Nothing from outside the server, and no error in the page.
    std::thread::sleep(Duration::from_millis(200));
    let seen = std::mem::take(&mut *seen.lock().unwrap());
    drop(browser);
    let outside: Vec<&String> = seen
        .requests
        .iter()
        .filter(|u| {
            !u.starts_with(&format!("http://127.0.0.1:{port}/"))
                && !u.starts_with("blob:")
                && !u.starts_with("data:")
        })
        .collect();
    assert!(outside.is_empty(), "requests outside the server: {outside:#?}");
    let errors: Vec<&String> = seen
        .errors
        .iter()
        // The conflict's 409 is an expected answer; a reload stream is cut off each
        // time the preview's page is reloaded, and a page the preview leaves (for
        // the next policy opened) has what it was still loading cancelled.
        .filter(|e| {
            !e.contains("status of 409")
                && !e.contains("(EventSource)")
                && !e.contains("net::ERR_ABORTED")
        })
        .collect();
    assert!(
        errors.is_empty(),
        "errors in the browser: {errors:#?}\nserver: {}",
        log.lock().unwrap()
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A desk others could reach is opened only when asked for in so many words, and
/// only as one address (its Host check needs to know which).
#[test]
fn a_desk_beyond_loopback_must_be_asked_for() {
    let project = tempfile::tempdir().unwrap();
    copy_dir(&root().join("sources/2021-Q4"), &project.path().join("sources/2021-Q4"));
    let port = free_port().to_string();
    let out = huibian_in(
        project.path(),
        &["serve", "2021-Q4", "--edit", "--bind", "0.0.0.0", "--port", &port],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--allow-remote-edit"), "{}", stderr(&out));
    let out = huibian_in(
        project.path(),
        &[
            "serve",
            "2021-Q4",
            "--edit",
            "--allow-remote-edit",
            "--bind",
            "0.0.0.0",
            "--port",
            &port,
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("give the address"), "{}", stderr(&out));
    let out = huibian_in(project.path(), &["serve", "2021-Q4", "--allow-remote-edit"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--allow-remote-edit without --edit: {}",
        stderr(&out)
    );
}
