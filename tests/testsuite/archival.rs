//! The PDF is archival and accessible: PDF/A-3a and PDF/UA-1 by default, read back
//! here with lopdf, independently of the Typst code that wrote them. No PDF/A
//! validator can be installed on the test machines; README.md ("Archival and
//! accessible PDF") lists the clauses these tests cover.

use std::collections::BTreeSet;
use std::path::Path;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::prelude::*;

fn load(path: &Path) -> Document {
    Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn catalog(doc: &Document) -> &Dictionary {
    doc.catalog().expect("a catalog")
}

/// Follows a reference, if it is one.
fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).expect("a live reference"),
        other => other,
    }
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> &'a Dictionary {
    match resolve(doc, object) {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        other => panic!("not a dictionary: {other:?}"),
    }
}

/// A PDF text string (UTF-16BE with a BOM, or PDFDocEncoding for ASCII).
fn text_string(object: &Object) -> String {
    let Object::String(bytes, _) = object else { panic!("not a string: {object:?}") };
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16(&units).expect("UTF-16")
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// The document's XMP metadata, as text.
fn xmp(doc: &Document) -> String {
    let metadata = catalog(doc).get(b"Metadata").expect("/Metadata in the catalog");
    let Object::Stream(stream) = resolve(doc, metadata) else { panic!("not a stream") };
    let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    String::from_utf8(bytes).expect("XMP is UTF-8")
}

/// One structure element: its type, its title (`/T`, which Typst gives headings)
/// and its depth in the tree.
#[derive(Debug)]
struct Element {
    kind: String,
    title: Option<String>,
    alt: Option<String>,
    depth: usize,
}

/// The structure tree in reading order.
fn structure(doc: &Document) -> Vec<Element> {
    fn walk(doc: &Document, object: &Object, depth: usize, out: &mut Vec<Element>) {
        match resolve(doc, object) {
            Object::Array(kids) => {
                for kid in kids {
                    walk(doc, kid, depth, out);
                }
            }
            Object::Dictionary(d) => {
                // Marked-content and object references are leaves.
                let Ok(Object::Name(kind)) = d.get(b"S") else { return };
                out.push(Element {
                    kind: String::from_utf8_lossy(kind).into_owned(),
                    title: d.get(b"T").ok().map(text_string),
                    alt: d.get(b"Alt").ok().map(text_string),
                    depth,
                });
                if let Ok(kids) = d.get(b"K") {
                    walk(doc, kids, depth + 1, out);
                }
            }
            _ => {}
        }
    }
    let root = catalog(doc).get(b"StructTreeRoot").expect("a structure tree");
    let root = dict(doc, root);
    let mut out = Vec::new();
    walk(doc, root.get(b"K").expect("the tree's kids"), 0, &mut out);
    out
}

/// Object ids of every font dictionary the pages use, descendants included.
fn fonts(doc: &Document) -> BTreeSet<ObjectId> {
    doc.objects
        .iter()
        .filter(|(_, o)| {
            matches!(o, Object::Dictionary(d)
                if d.get(b"Type").ok() == Some(&Object::Name(b"Font".to_vec())))
        })
        .map(|(id, _)| *id)
        .collect()
}

#[test]
fn the_2021q4_book_is_pdf_a_3a_and_pdf_ua_1() {
    let (_out, pdf_path) = crate::edition_2021q4::built();
    let doc = load(pdf_path);
    let catalog = catalog(&doc);

    // PDF/A-3a and PDF/UA-1 identification (ISO 19005-3 §6.6.4, ISO 14289-1 §5).
    let xmp = xmp(&doc);
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "{xmp}");
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(xmp.contains("北京市支持民营企业高质量发展政策汇编"), "dc:title in the XMP");

    // The attached sources (ISO 19005-3 §6.8): each file specification says the
    // file is the document's source and gives its MIME type, and the document
    // lists them as its associated files.
    let specs: Vec<&Dictionary> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").ok() == Some(&Object::Name(b"Filespec".to_vec())))
        .collect();
    assert_eq!(specs.len(), 27, "edition.toml, 25 Markdown files and the template");
    for spec in &specs {
        assert_eq!(
            spec.get(b"AFRelationship").unwrap(),
            &Object::Name(b"Source".to_vec())
        );
        let ef = resolve(&doc, spec.get(b"EF").unwrap()).as_dict().unwrap();
        let file = resolve(&doc, ef.get(b"F").unwrap()).as_stream().unwrap();
        let mime = file.dict.get(b"Subtype").unwrap().as_name().unwrap();
        assert!(
            [b"text/markdown".as_slice(), b"application/toml", b"text/plain"]
                .contains(&mime),
            "{}",
            String::from_utf8_lossy(mime)
        );
    }
    let associated = resolve(&doc, catalog.get(b"AF").expect("/AF in the catalog"));
    assert_eq!(associated.as_array().unwrap().len(), 27);

    // An output intent with its ICC profile (ISO 19005-2 §6.2.3).
    let intents = resolve(&doc, catalog.get(b"OutputIntents").expect("/OutputIntents"));
    let Object::Array(intents) = intents else { panic!("/OutputIntents is an array") };
    let intent = dict(&doc, &intents[0]);
    assert_eq!(intent.get(b"S").unwrap(), &Object::Name(b"GTS_PDFA1".to_vec()));
    let profile =
        resolve(&doc, intent.get(b"DestOutputProfile").expect("an ICC profile"));
    assert!(matches!(profile, Object::Stream(s) if s.content.len() > 100));

    // Language, tagged, and the title in the window (ISO 14289-1 §7.2, §7.1).
    let lang = text_string(catalog.get(b"Lang").expect("/Lang"));
    assert!(lang.eq_ignore_ascii_case("zh-CN"), "/Lang {lang}");
    let mark_info = dict(&doc, catalog.get(b"MarkInfo").expect("/MarkInfo"));
    assert_eq!(mark_info.get(b"Marked").unwrap(), &Object::Boolean(true));
    let prefs =
        dict(&doc, catalog.get(b"ViewerPreferences").expect("/ViewerPreferences"));
    assert_eq!(prefs.get(b"DisplayDocTitle").unwrap(), &Object::Boolean(true));

    // Every font embedded (ISO 19005-2 §6.2.11.4): a descriptor with a font file.
    let fonts = fonts(&doc);
    assert!(!fonts.is_empty());
    let mut descriptors = 0;
    for id in &fonts {
        let font = doc.get_dictionary(*id).unwrap();
        if let Ok(descriptor) = font.get(b"FontDescriptor") {
            descriptors += 1;
            let descriptor = dict(&doc, descriptor);
            assert!(
                [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                    .iter()
                    .any(|key| descriptor.has(key)),
                "font {id:?} is not embedded: {descriptor:?}"
            );
        }
    }
    assert!(descriptors > 0, "no font descriptor found");

    // The structure: the 目录 as a tagged list of links, one item per entry, and the
    // headings at their levels in book order.
    let tree = structure(&doc);
    let toc_items = tree.iter().filter(|e| e.kind == "TOCI").count();
    let toc: serde_json::Value = serde_json::from_slice(
        &std::fs::read(pdf_path.with_file_name("toc.json")).unwrap(),
    )
    .unwrap();
    let entries = toc["entries"].as_array().unwrap();
    let outlined = entries.iter().filter(|e| e["level"].as_u64() <= Some(2)).count();
    assert_eq!(toc_items, outlined, "one TOCI per category and policy of the 目录");
    assert!(
        tree.iter().any(|e| e.kind == "Link" && e.depth > 2),
        "the 目录's items are links"
    );

    let headings: Vec<(u64, String)> = tree
        .iter()
        .filter_map(|e| {
            let level = e.kind.strip_prefix('H')?.parse::<u64>().ok()?;
            Some((level, e.title.clone().unwrap_or_default()))
        })
        .collect();
    // After 引言 and 目录 (level 1, not in the toc), the book's own headings follow
    // toc.json: categories H1, policies H2, their first-level sections H3.
    let body: Vec<(u64, String)> = headings
        .iter()
        .skip_while(|(_, t)| !t.starts_with("1."))
        .filter(|(level, _)| *level <= 3)
        .take(12)
        .cloned()
        .collect();
    let expected: Vec<(u64, String)> = entries
        .iter()
        .take(12)
        .map(|e| {
            let title = e["title"].as_str().unwrap();
            let title = match e["number"].as_str() {
                Some(number) => format!("{number}.{title}"),
                None => title.to_string(),
            };
            (e["level"].as_u64().unwrap(), title)
        })
        .collect();
    let strip = |v: &[(u64, String)]| -> Vec<(u64, String)> {
        v.iter().map(|(l, t)| (*l, compact(t))).collect()
    };
    assert_eq!(strip(&body), strip(&expected));
    assert_eq!(body[0].0, 1);
    assert_eq!(body[1].0, 2);
    assert_eq!(body[2].0, 3);
    // Nothing outside the body is a heading but 引言 and 目录: the running header and
    // the page numbers are artifacts, not text of the structure.
    assert!(headings.iter().filter(|(l, _)| *l == 1).count() >= 9);
    assert!(
        !tree.iter().any(|e| e.title.as_deref().is_some_and(|t| t.contains("— 1 —"))),
        "a page number in the structure"
    );
}

#[test]
fn running_header_and_page_numbers_are_artifacts() {
    let (_out, pdf_path) = crate::edition_2021q4::built();
    let doc = load(pdf_path);
    let pages = doc.get_pages();
    // A body page: its content holds the header and the folio inside /Artifact
    // marked content, and the body text inside tagged (MCID) marked content.
    let id = pages[&10];
    let content = doc.get_page_content(id);
    let content = String::from_utf8_lossy(&content);
    let artifacts = content.matches("/Artifact").count();
    assert!(artifacts >= 2, "header and folio as artifacts: {artifacts} found");
    assert!(content.contains("/MCID"), "tagged body text");
}

#[test]
fn tables_have_header_cells_and_images_their_alt_text() {
    let out = tempfile::tempdir().unwrap();
    let pdf_path = build_ok(&fixture("media"), out.path());
    let doc = load(&pdf_path);
    let tree = structure(&doc);
    assert!(tree.iter().any(|e| e.kind == "Table"));
    let th = tree.iter().filter(|e| e.kind == "TH").count();
    // 项目 and 资金（万元）, which spans two columns.
    assert_eq!(th, 2, "the header row's cells are TH");
    let figure = tree.iter().find(|e| e.kind == "Figure").expect("a Figure element");
    let alt = figure.alt.as_deref().unwrap_or_default();
    assert!(alt.starts_with("资金流程图"), "the Markdown alt text: {alt}");
}

/// What the standard forbids fails the build at the source line, and nothing is
/// written; without the standard the same book builds.
#[test]
fn what_the_standard_forbids_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("media");
    copy_dir(&fixture("media"), &edition);
    let policy = edition.join("政策/图表.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    let start = text.find("![资金流程图").unwrap();
    let end = start + text[start..].find("](").unwrap();
    std::fs::write(&policy, format!("{}![{}", &text[..start], &text[end..])).unwrap();
    let out = dir.path().join("out");

    let build = huibian(&["build", path_str(&edition), "--out", path_str(&out)]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(1), "{err}");
    assert!(err.contains("error[image-no-alt]"), "{err}");
    assert!(err.contains("PDF/A-3a + PDF/UA-1"), "{err}");
    assert!(err.contains("政策/图表.md:18:1"), "{err}");
    assert!(!out.join("media/media.pdf").exists());

    let check = huibian(&["check", path_str(&edition)]);
    assert_eq!(check.status.code(), Some(1), "check agrees with the build");
    assert!(stderr(&check).contains("政策/图表.md:18:1"));

    // Without accessibility, an image without alt text is allowed.
    let plain = huibian(&[
        "build",
        path_str(&edition),
        "--out",
        path_str(&out),
        "--pdf-standard",
        "a-3b",
    ]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let xmp = xmp(&load(&out.join("media/media.pdf")));
    assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{xmp}");
    assert!(!xmp.contains("pdfuaid"), "{xmp}");
}

/// A combination Typst cannot write, or a name it does not know, is an error at
/// the manifest's line; a refusal of typst-pdf's own (transparency in PDF/A-1) too.
#[test]
fn a_wrong_standard_is_located_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("media");
    copy_dir(&fixture("media"), &edition);
    let manifest = edition.join("edition.toml");
    let base = std::fs::read_to_string(&manifest).unwrap();

    std::fs::write(
        &manifest,
        format!("{base}\n[pdf]\nstandard = [\"a-2a\", \"a-3b\"]\n"),
    )
    .unwrap();
    let check = huibian(&["check", path_str(&edition)]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    assert!(err.contains("edition.toml:14:12"), "{err}");
    assert!(err.contains("at most one PDF/A"), "{err}");

    std::fs::write(&manifest, format!("{base}\n[pdf]\nstandard = \"a-5\"\n")).unwrap();
    let err = stderr(&huibian(&["check", path_str(&edition)]));
    assert!(err.contains("unknown PDF standard `a-5`"), "{err}");

    // PDF/A-1 forbids transparency: an image with an alpha channel is refused by
    // typst-pdf, and the refusal points at the standard chosen.
    // (PDF/A-1 allows no attached files either: the sources stay out.)
    std::fs::write(
        &manifest,
        format!("{base}\n[pdf]\nstandard = \"a-1b\"\nembed_sources = false\n"),
    )
    .unwrap();
    std::fs::write(edition.join("assets/图表/image-1.png"), rgba_png()).unwrap();
    let out = dir.path().join("out");
    let build = huibian(&["build", path_str(&edition), "--out", path_str(&out)]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(1), "{err}");
    assert!(err.contains("the PDF cannot conform to PDF/A-1b"), "{err}");
    assert!(err.contains("transparency"), "{err}");
    assert!(err.contains("edition.toml:14:12"), "{err}");
    assert!(!err.contains("edition.typ"), "no template location: {err}");
}

/// A 4×2 PNG with a half-transparent alpha channel, written by hand (no image crate).
fn rgba_png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend(kind);
        out.extend(data);
        let crc = crc32(&out[start..]);
        out.extend(crc.to_be_bytes());
    }
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let (w, h) = (4u32, 2u32);
    let mut raw = Vec::new();
    for _ in 0..h {
        raw.push(0);
        raw.extend([200, 30, 30, 128].repeat(w as usize));
    }
    // A stored (uncompressed) zlib stream: header, one final block, Adler-32.
    let mut z = vec![0x78, 0x01, 1];
    z.extend((raw.len() as u16).to_le_bytes());
    z.extend((!(raw.len() as u16)).to_le_bytes());
    z.extend(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend(((b << 16) | a).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
}
