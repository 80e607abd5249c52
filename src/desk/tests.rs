//! The desk's API called as the HTTP layer calls it, on a copy of the fixture edition.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::guard::Credentials;
use super::{Desk, Guard, Request, Response};

const POLICY: &str = "优化营商环境/规范性文件失效.md";
const HOST: &str = "127.0.0.1:3000";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn desk() -> (tempfile::TempDir, Desk) {
    let project = tempfile::tempdir().unwrap();
    let edition = project.path().join("sources/2021-Q4");
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"), &edition);
    let guard = Guard::with_token(SocketAddr::from(([127, 0, 0, 1], 3000)), TOKEN.into());
    let desk =
        Desk::new(&edition, project.path().join("out/2021-Q4"), project.path(), guard)
            .unwrap();
    (project, desk)
}

fn call(desk: &Desk, method: &str, route: &str, body: &Value) -> (u16, Value) {
    let (path, query) = route.split_once('?').unwrap_or((route, ""));
    let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
    let request = Request {
        method,
        path,
        query,
        credentials: Credentials {
            host: Some(HOST),
            origin: Some("http://127.0.0.1:3000"),
            token: Some(TOKEN),
        },
        body: &body,
    };
    let Response { status, body, .. } = desk.handle(&request);
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn file(desk: &Desk, path: &str) -> Value {
    let (status, file) =
        call(desk, "GET", &format!("/api/file?path={}", encode(path)), &Value::Null);
    assert_eq!(status, 200, "{file}");
    file
}

fn encode(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
}

fn on_disk(desk: &Desk, path: &str) -> String {
    std::fs::read_to_string(desk.folder.join(path)).unwrap()
}

fn edition_path(desk: &Desk) -> PathBuf {
    desk.folder.clone()
}

#[test]
fn the_edition_lists_every_file_in_book_order_with_its_findings() {
    let (_p, desk) = desk();
    let (status, ed) = call(&desk, "GET", "/api/edition", &Value::Null);
    assert_eq!(status, 200, "{ed}");
    assert_eq!(ed["title"], "北京市支持民营企业高质量发展政策汇编");
    assert_eq!(ed["period"], json!(["2021-10-01", "2021-12-31"]));
    let titles: Vec<&str> = ed["categories"][0]["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 3);
    assert_eq!(titles[0], "北京市城市管理委员会关于宣布部分行政规范性文件失效的决定");
    assert_eq!(ed["categories"][2]["body"]["path"], "十四五规划.md");
    assert!(ed["built"].is_null(), "nothing is built yet");
}

#[test]
fn the_form_writes_only_the_fields_that_changed() {
    let (_p, desk) = desk();
    let before = on_disk(&desk, POLICY);
    let f = file(&desk, POLICY);
    assert_eq!(f["fields"]["number"], "京管发〔2021〕16号");
    let mut fields = f["fields"].clone();
    fields["number"] = json!("京管发〔2021〕17号");
    fields["expires"] = json!("2026-12-31");
    let (status, saved) = call(
        &desk,
        "POST",
        "/api/save",
        &json!({ "path": POLICY, "version": f["version"], "body": f["body"], "fields": fields }),
    );
    assert_eq!(status, 200, "{saved}");
    let after = on_disk(&desk, POLICY);
    let want = before
        .replace("京管发〔2021〕16号", "京管发〔2021〕17号")
        .replace("date: 2021-08-13\n", "date: 2021-08-13\nexpires: 2026-12-31\n");
    assert_eq!(after, want);
    assert_eq!(saved["file"]["fields"]["expires"], "2026-12-31");
    assert_eq!(desk.history.list().len(), 1);
}

#[test]
fn a_save_made_from_an_older_version_is_refused_and_writes_nothing() {
    let (_p, desk) = desk();
    let f = file(&desk, POLICY);
    let elsewhere = on_disk(&desk, POLICY) + "\n在文本编辑器里加的一段。\n";
    std::fs::write(edition_path(&desk).join(POLICY), &elsewhere).unwrap();
    let (status, answer) = call(
        &desk,
        "POST",
        "/api/save",
        &json!({ "path": POLICY, "version": f["version"], "body": "网页里的正文。\n", "fields": f["fields"] }),
    );
    assert_eq!(status, 409, "{answer}");
    let diff = answer["detail"]["diff"].as_str().unwrap();
    assert!(
        diff.contains("-在文本编辑器里加的一段。") && diff.contains("+网页里的正文。"),
        "{diff}"
    );
    assert_eq!(on_disk(&desk, POLICY), elsewhere);
    assert!(desk.history.list().is_empty());
}

#[test]
fn check_shows_the_findings_of_the_unsaved_text_at_their_lines() {
    let (_p, desk) = desk();
    let before = on_disk(&desk, POLICY);
    let f = file(&desk, POLICY);
    // A numbering gap (一、 then 三、) in the text as the editor typed it.
    let body = "## 一、总体要求\n\n正文。\n\n## 三、保障措施\n\n正文。\n";
    let (status, checked) = call(
        &desk,
        "POST",
        "/api/check",
        &json!({ "path": POLICY, "body": body, "fields": f["fields"] }),
    );
    assert_eq!(status, 200, "{checked}");
    let first = checked["first_body_line"].as_u64().unwrap();
    let gap = checked["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["severity"] == "error")
        .unwrap_or_else(|| panic!("no error in {checked}"));
    assert_eq!(gap["file"], POLICY);
    assert_eq!(gap["line"].as_u64().unwrap(), first + 4, "at the line of 三、: {gap}");
    assert_eq!(on_disk(&desk, POLICY), before, "check writes nothing");
}

#[test]
fn fmt_offers_a_diff_and_writes_nothing() {
    let (_p, desk) = desk();
    let before = on_disk(&desk, POLICY);
    let f = file(&desk, POLICY);
    let body =
        format!("{}\n一、 目标要求\n\n(一)加强组织领导\n", f["body"].as_str().unwrap());
    let (status, tidy) = call(
        &desk,
        "POST",
        "/api/fmt",
        &json!({ "path": POLICY, "body": body, "fields": f["fields"] }),
    );
    assert_eq!(status, 200, "{tidy}");
    assert_eq!(tidy["changed"], true);
    let diff = tidy["diff"].as_str().unwrap();
    assert!(
        diff.contains("-一、 目标要求\n+一、目标要求")
            && diff.contains("+（一）加强组织领导"),
        "{diff}"
    );
    assert!(
        tidy["body"].as_str().unwrap().ends_with("一、目标要求\n\n（一）加强组织领导\n"),
        "{tidy}"
    );
    assert_eq!(on_disk(&desk, POLICY), before, "fmt writes nothing");
    assert!(desk.history.list().is_empty());
}

#[test]
fn arranging_from_an_older_manifest_is_refused() {
    let (_p, desk) = desk();
    let (_, ed) = call(&desk, "GET", "/api/edition", &Value::Null);
    let version = ed["manifest"]["version"].clone();
    let edit = json!({ "op": "move", "path": "医疗卫生领域/医保药品报销范围.md", "to": 0, "position": 0 });
    let (status, moved) =
        call(&desk, "POST", "/api/arrange", &json!({ "edit": edit, "version": version }));
    assert_eq!(status, 200, "{moved}");
    assert!(on_disk(&desk, "edition.toml").contains("policies = [\n  \"医疗卫生领域/医保药品报销范围.md\",\n  \"优化营商环境/规范性文件失效.md\","));
    // The same edit from the page's old copy of the manifest.
    let (status, refused) =
        call(&desk, "POST", "/api/arrange", &json!({ "edit": edit, "version": version }));
    assert_eq!(status, 409, "{refused}");
    // Undo puts it back.
    let (status, _) = call(&desk, "POST", "/api/undo", &Value::Null);
    assert_eq!(status, 200);
    assert_eq!(
        on_disk(&desk, "edition.toml"),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/basic/edition.toml")
        )
        .unwrap()
    );
}

#[test]
fn only_the_editions_own_files_and_only_with_the_token() {
    let (_p, desk) = desk();
    for path in [
        "../../../etc/passwd",
        "/etc/passwd",
        "优化营商环境/../../x.md",
        "未列出.md",
        ".huibian/history/x",
    ] {
        let (status, _) =
            call(&desk, "GET", &format!("/api/file?path={}", encode(path)), &Value::Null);
        assert_eq!(status, 404, "{path}");
    }
    let without = Request {
        method: "GET",
        path: "/api/edition",
        query: "",
        credentials: Credentials { host: Some(HOST), origin: None, token: None },
        body: &[],
    };
    assert_eq!(desk.handle(&without).status, 403);
    // The page itself needs no token, but its own name.
    let page = |host| Request {
        method: "GET",
        path: "/",
        query: "",
        credentials: Credentials { host: Some(host), origin: None, token: None },
        body: &[],
    };
    assert_eq!(desk.handle(&page(HOST)).status, 200);
    assert_eq!(desk.handle(&page("evil.example:3000")).status, 403);
}

#[test]
fn a_broken_manifest_is_shown_and_mended_as_text() {
    let (_p, desk) = desk();
    let good = on_disk(&desk, "edition.toml");
    std::fs::write(desk.folder.join("edition.toml"), "title = \"汇编\nperiod = [\n")
        .unwrap();
    let (status, ed) = call(&desk, "GET", "/api/edition", &Value::Null);
    assert_eq!(status, 200, "{ed}");
    assert_eq!(ed["readable"], false);
    assert!(ed["manifest"]["findings"]["errors"].as_u64().unwrap() > 0, "{ed}");
    let f = file(&desk, "edition.toml");
    assert_eq!(f["kind"], "manifest");
    let (status, saved) = call(
        &desk,
        "POST",
        "/api/save",
        &json!({ "path": "edition.toml", "version": f["version"], "body": good }),
    );
    assert_eq!(status, 200, "{saved}");
    assert_eq!(on_disk(&desk, "edition.toml"), good);
    let (_, ed) = call(&desk, "GET", "/api/edition", &Value::Null);
    assert_eq!(ed["readable"], true);
    assert_eq!(ed["findings"]["errors"], 0, "{ed}");
}
