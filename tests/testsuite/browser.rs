//! The HTML edition of `sources/2021-Q4` in a real browser: headless Chromium, driven
//! over the DevTools protocol (`headless_chrome`), the site opened from disk (`file://`).
//! A reader opens `index.html`, follows a TOC link, searches `专精特新`, follows the hit
//! to the policy; the page raises no console error and requests nothing outside the site.
//!
//! Needs Debian's `chromium` (`/usr/bin/chromium`, or the path in `$CHROMIUM`); `.ci/run`
//! installs it. Without it the test fails, it does not skip.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Log, Network, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::prelude::*;

/// The policy the search must find, as its title is printed.
const POLICY: &str = "北京市关于促进“专精特新”中小企业高质量发展的若干措施";
const QUERY: &str = "专精特新";

/// What the browser reported while the test ran.
#[derive(Default)]
pub(crate) struct Seen {
    /// Every URL a page requested (the documents included).
    pub(crate) requests: Vec<String>,
    /// Console errors, uncaught exceptions and error log entries (failed loads included).
    pub(crate) errors: Vec<String>,
    /// The URL of each request by its id, to name the one whose load failed.
    urls: std::collections::HashMap<String, String>,
}

pub(crate) fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "no Chromium at {}: the browser test needs it. Install it \
         (`apt-get install -y chromium`, as .ci/run does) or set CHROMIUM to its path.",
        path.display()
    );
    path
}

pub(crate) fn launch(chromium: PathBuf, profile: &Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(chromium.clone()))
        .headless(true)
        .sandbox(false)
        .enable_gpu(false)
        .user_data_dir(Some(profile.to_path_buf()))
        .window_size(Some((1280, 900)))
        .idle_browser_timeout(Duration::from_secs(60))
        .args(args)
        .build()
        .unwrap();
    Browser::new(options)
        .unwrap_or_else(|e| panic!("starting {}: {e:#}", chromium.display()))
}

/// Subscribes to the tab's requests, console and log before anything loads.
pub(crate) fn watch(tab: &Tab) -> Arc<Mutex<Seen>> {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let sink = Arc::clone(&seen);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let mut seen = sink.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Event::NetworkRequestWillBeSent(e) => {
                let url = e.params.request.url.clone();
                seen.urls.insert(e.params.request_id.clone(), url.clone());
                seen.requests.push(url);
            }
            Event::NetworkLoadingFailed(e) => {
                let url =
                    seen.urls.get(&e.params.request_id).cloned().unwrap_or_default();
                seen.errors.push(format!(
                    "loading failed: {} ({:?}) {url}",
                    e.params.error_text, e.params.Type
                ))
            }
            Event::RuntimeExceptionThrown(e) => {
                let d = &e.params.exception_details;
                let what = d.exception.as_ref().and_then(|x| x.description.clone());
                seen.errors.push(format!(
                    "exception: {} {} at {}:{}",
                    d.text,
                    what.unwrap_or_default(),
                    d.url.clone().unwrap_or_default(),
                    d.line_number
                ));
            }
            Event::RuntimeConsoleAPICalled(e)
                if matches!(
                    e.params.Type,
                    Runtime::ConsoleAPICalledEventTypeOption::Error
                        | Runtime::ConsoleAPICalledEventTypeOption::Assert
                ) =>
            {
                let args: Vec<String> =
                    e.params.args.iter().map(|a| format!("{:?}", a.value)).collect();
                seen.errors.push(format!(
                    "console.{:?}: {}",
                    e.params.Type,
                    args.join(" ")
                ));
            }
            Event::LogEntryAdded(e)
                if matches!(e.params.entry.level, Log::LogEntryLevel::Error) =>
            {
                let entry = &e.params.entry;
                seen.errors.push(format!(
                    "log: {} {}",
                    entry.text,
                    entry.url.clone().unwrap_or_default()
                ));
            }
            _ => {}
        }
    }))
    .unwrap();
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    tab.enable_runtime().unwrap();
    tab.enable_log().unwrap();
    seen
}

/// The value of a JavaScript expression in the page, as JSON.
pub(crate) fn eval(tab: &Tab, expression: &str) -> serde_json::Value {
    let result = tab
        .evaluate(expression, false)
        .unwrap_or_else(|e| panic!("evaluating {expression}: {e:#}"));
    result.value.unwrap_or(serde_json::Value::Null)
}

pub(crate) fn eval_str(tab: &Tab, expression: &str) -> String {
    match eval(tab, expression) {
        serde_json::Value::String(s) => s,
        other => panic!("{expression} gave {other}, not a string"),
    }
}

/// Waits until the tab shows a document other than `before`, fully loaded.
fn wait_for_new_page(tab: &Tab, before: &str) {
    let start = std::time::Instant::now();
    loop {
        // During a navigation evaluation may fail (the old context is gone): not yet.
        let state = tab
            .evaluate(
                "JSON.stringify([location.href.split('#')[0], document.readyState])",
                false,
            )
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| {
                v.as_str().and_then(|s| serde_json::from_str::<(String, String)>(s).ok())
            });
        if let Some((href, ready)) = &state
            && *href != before.split('#').next().unwrap()
            && ready == "complete"
        {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no new page after {before}: {state:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn location(tab: &Tab) -> String {
    eval_str(tab, "location.href")
}

/// `%XX` escapes of a URL decoded (as UTF-8).
fn percent_decode(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The resources the current page loaded, by the page's own account.
fn page_resources(tab: &Tab) -> Vec<String> {
    let list = eval_str(
        tab,
        "JSON.stringify([location.href].concat(performance.getEntriesByType('resource').map(e => e.name)))",
    );
    serde_json::from_str(&list).unwrap()
}

#[test]
fn a_reader_follows_the_toc_and_finds_a_policy_by_searching() {
    let chromium = chromium();
    let out = tempfile::tempdir().unwrap();
    build_ok(&root().join("sources/2021-Q4"), out.path());
    let site = out.path().join("2021-Q4/html").canonicalize().unwrap();
    assert!(site.join("index.html").is_file(), "no index.html in {}", site.display());
    let site_url = format!("file://{}/", site.display());

    let profile = tempfile::tempdir().unwrap();
    let browser = launch(chromium, profile.path());
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(15));
    let seen = watch(&tab);
    let mut resources = Vec::new();

    // The index, and a TOC link to a policy (not the one searched for later).
    tab.navigate_to(&format!("{site_url}index.html")).unwrap();
    wait_for_new_page(&tab, "about:blank");
    assert_eq!(eval_str(&tab, "document.documentElement.lang"), "zh-CN");
    tab.wait_for_element(".contents .contents-policies a").unwrap();
    let count =
        eval(&tab, "document.querySelectorAll('.contents .contents-policies a').length");
    assert!(count.as_u64() > Some(20), "only {count} policies in the TOC of index.html");
    // (Elements are fetched one by one: each costs the protocol a few round trips.)
    let link = tab
        .find_element_by_xpath(&format!(
            "(//section[@class='contents']//ol[@class='contents-policies']//a[not(contains(., '{QUERY}'))])[1]"
        ))
        .expect("a TOC link");
    let title = link.get_inner_text().unwrap().trim().to_owned();
    resources.extend(page_resources(&tab));
    let before = location(&tab);
    link.click().unwrap();
    wait_for_new_page(&tab, &before);
    tab.wait_for_element("article.policy h1").unwrap();
    let h1 = eval_str(&tab, "document.querySelector('article.policy h1').textContent");
    assert!(
        h1.contains(&title),
        "the TOC link 《{title}》 led to a page headed 《{h1}》"
    );
    assert!(
        percent_decode(&location(&tab)).starts_with(&site_url),
        "the TOC link led out of the site, to {}",
        location(&tab)
    );

    // Search from that page: type the phrase, wait for the hit list.
    tab.wait_for_element("#search-input").unwrap().click().unwrap();
    tab.type_str(QUERY).unwrap();
    tab.wait_for_element("#search-results ol.hits a").unwrap();
    let hits: Vec<(String, String)> = serde_json::from_str(&eval_str(
        &tab,
        "JSON.stringify(Array.from(document.querySelectorAll('#search-results ol.hits a'), \
         a => [a.querySelector('.hit-title').textContent, a.getAttribute('href')]))",
    ))
    .unwrap();
    let summary =
        eval_str(&tab, "document.querySelector('#search-results .summary').textContent");
    let (index, (_, href)) = hits
        .iter()
        .enumerate()
        .find(|(_, (page, _))| page.contains(POLICY))
        .unwrap_or_else(|| {
            panic!("no hit in 《{POLICY}》 for {QUERY} ({summary}): {hits:?}")
        });
    let marked = eval_str(
        &tab,
        &format!(
            "document.querySelectorAll('#search-results ol.hits a')[{index}].querySelector('mark').textContent"
        ),
    );
    assert_eq!(marked, QUERY, "the snippet marks the phrase");

    // Follow the hit: the policy's page, scrolled to the paragraph that matched.
    resources.extend(page_resources(&tab));
    let hit = tab
        .find_element(&format!(
            "#search-results ol.hits > li:nth-child({}) > a",
            index + 1
        ))
        .unwrap();
    hit.scroll_into_view().unwrap();
    let before = location(&tab);
    hit.click().unwrap();
    wait_for_new_page(&tab, &before);
    let url = percent_decode(&location(&tab));
    let (page, anchor) = href.split_once('#').expect("a hit links to an anchor");
    assert_eq!(
        url,
        format!("{site_url}{}", percent_decode(href)),
        "following the hit {href}"
    );
    let h1 = eval_str(&tab, "document.querySelector('article.policy h1').textContent");
    assert!(h1.contains(POLICY), "the hit {page} led to a page headed 《{h1}》");
    let target = eval(
        &tab,
        "(t => t && t.textContent)(document.getElementById(decodeURIComponent(location.hash.slice(1))))",
    );
    let target =
        target.as_str().unwrap_or_else(|| panic!("no element #{anchor} on {page}"));
    assert!(
        target.contains(QUERY),
        "#{anchor} on {page} does not contain {QUERY}: {target}"
    );
    resources.extend(page_resources(&tab));

    // Nothing outside the folder; no error.
    std::thread::sleep(Duration::from_millis(200));
    let Seen { requests, errors, .. } = std::mem::take(&mut *seen.lock().unwrap());
    drop(browser);
    assert!(
        requests.iter().any(|u| u.ends_with("/search-index.js")),
        "the search index was never requested (are network events seen?): {requests:#?}"
    );
    let mut outside: Vec<&String> = requests
        .iter()
        .chain(&resources)
        .filter(|u| !percent_decode(u).starts_with(&site_url))
        .collect();
    outside.sort();
    outside.dedup();
    assert!(
        outside.is_empty() && errors.is_empty(),
        "requests outside {site_url}: {outside:#?}\nerrors in the browser: {errors:#?}"
    );
}
