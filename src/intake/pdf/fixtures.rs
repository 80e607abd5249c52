//! The generator of the PDF fixtures in `tests/fixtures/intake/pdf/`, kept so they can
//! be made again: `cargo test --lib intake::pdf::fixtures -- --ignored`.
//!
//! - `gongwen.pdf`: a Word-shaped 公文 typeset by Typst from `gongwen.typ` (red header,
//!   文号, title on two lines, 主送, 一、/（一）/1. numbering, signature, 附件 page,
//!   `— 1 —` page numbers), with Typst's ToUnicode maps.
//! - `gongwen-no-tounicode.pdf`: the same file with every ToUnicode map removed, as
//!   many 仿宋_GB2312 exports are: only a reader of the embedded fonts decodes it.
//! - `gazette-gbk.pdf`: a gazette reprint whose font uses the `GBK-EUC-H` CMap (GBK
//!   bytes, no ToUnicode), a running header and `- 1 -` page numbers on each page, and
//!   a heading drawn twice for simulated bold.
//! - `no-unicode.pdf`: an `Identity-H` font without ToUnicode nor embedded font file.
//! - `scan.pdf`: one page that only draws an image.

use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Document, Object, Stream, dictionary};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake/pdf")
}

fn save(mut doc: Document, name: &str) {
    doc.compress();
    doc.save(dir().join(name)).unwrap();
}

/// A document of pages, each drawn by its content stream, with `font` as `/F1`.
fn document(
    font: Option<Dictionary>,
    contents: Vec<Vec<u8>>,
    title: &str,
    images: bool,
) -> Document {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut resources = Dictionary::new();
    if let Some(font) = font {
        let font_id = doc.add_object(font);
        resources.set("Font", dictionary! { "F1" => font_id });
    }
    if images {
        let pixels: Vec<u8> = (0..64u32 * 64).map(|i| (i % 251) as u8).collect();
        let image = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 64, "Height" => 64,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            pixels,
        );
        let image_id = doc.add_object(image);
        resources.set("XObject", dictionary! { "Im1" => image_id });
    }
    let resources_id = doc.add_object(resources);
    let mut kids = Vec::new();
    for content in contents {
        let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count },
        ),
    );
    let catalog =
        doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let info = doc.add_object(dictionary! {
        "Title" => lopdf::text_string(title),
        "Producer" => "huibian fixture generator",
    });
    doc.trailer.set("Info", info);
    doc
}

/// A PDF string literal of raw bytes, escaped for a content stream.
fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![b'('];
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// The codes of `text` in the font's CMap: GBK bytes for `GBK-EUC-H`; for `GB-H`
/// (GB 2312 in 7-bit bytes, two a character) ASCII becomes full-width first.
fn gbk(text: &str, seven_bit: bool) -> Vec<u8> {
    if !seven_bit {
        return encoding_rs::GBK.encode(text).0.into_owned();
    }
    let wide: String = text
        .chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            c => c,
        })
        .collect();
    encoding_rs::GBK.encode(&wide).0.iter().map(|b| b & 0x7F).collect()
}

/// Width of text in a 16 pt GB font: ASCII half, the rest full.
fn width(text: &str, size: f32) -> f32 {
    text.chars().map(|c| if c.is_ascii() { size / 2.0 } else { size }).sum()
}

const GAZETTE: &[(&str, &str)] = &[
    ("centre", "北京市人民政府办公厅关于印发"),
    ("centre", "北京市老旧小区综合整治工作方案的通知"),
    ("centre-body", "京政办发〔2022〕5号"),
    ("left", "各区人民政府，市政府各委、办、局，各市属机构："),
    (
        "para",
        "经市政府同意，现将《北京市老旧小区综合整治工作方案》印发给你们，请认真贯彻落实。",
    ),
    ("heading-bold", "一、工作目标"),
    (
        "para",
        "到2025年底，基本完成全市2000年底前建成的需改造城镇老旧小区改造任务，小区基础设施更加完善，居住环境明显改善，社区服务功能显著提升，群众获得感、幸福感、安全感不断增强。",
    ),
    ("heading-bold", "二、主要任务"),
    (
        "para",
        "（一）加强基础类改造。重点对小区内建筑物屋面、外墙、楼梯等公共部位进行维修，对供水、排水、供电、供气、供热、通信等配套基础设施进行改造提升，消除安全隐患。",
    ),
    (
        "para",
        "（二）推进完善类改造。因地制宜建设停车设施、无障碍设施和电梯，完善小区公共照明和绿化景观，配建养老、托育、助餐等社区服务设施，满足居民基本生活需求。",
    ),
    (
        "para",
        "（三）探索提升类改造。鼓励有条件的小区结合实际丰富社区服务供给，推进智慧社区建设，完善社区综合服务站、卫生服务站等公共服务设施，提升社区治理水平。",
    ),
    ("heading-bold", "三、保障措施"),
    (
        "para",
        "各区政府要落实属地责任，建立健全工作机制，统筹推进本辖区老旧小区综合整治工作。市住房城乡建设委要会同有关部门加强指导，定期调度工作进展，确保各项任务按期完成。",
    ),
    ("sign", "北京市人民政府办公厅"),
    ("sign", "2022年3月18日"),
];

/// The paragraphs `gazette-gbk.pdf` must read as: its title's two lines as one.
pub(super) fn expected_gazette() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut previous = "";
    for (kind, text) in GAZETTE {
        match out.last_mut() {
            Some(last) if *kind == "centre" && previous == "centre" => {
                last.push_str(text)
            }
            _ => out.push(text.to_string()),
        }
        previous = kind;
    }
    out
}

/// Lines of a paragraph wrapped at `chars` full-width characters, the first indented.
fn wrap(text: &str, first: f32, full: f32, size: f32) -> Vec<(f32, String)> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut room = full - first;
    for c in text.chars() {
        if width(&line, size) + width(&c.to_string(), size) > room + 0.1 {
            lines.push((
                if lines.is_empty() { first } else { 0.0 },
                std::mem::take(&mut line),
            ));
            room = full;
        }
        line.push(c);
    }
    lines.push((if lines.is_empty() { first } else { 0.0 }, line));
    lines
}

fn gazette(cmap: &str) -> Document {
    let seven = cmap == "GB-H";
    let (left, right, top, size, pitch) = (79.0f32, 527.0f32, 765.0f32, 16.0f32, 28.0f32);
    let mut pages: Vec<Vec<u8>> = Vec::new();
    let mut y = top;
    let mut streams: Vec<Vec<Vec<u8>>> = vec![Vec::new()];
    let push = |streams: &mut Vec<Vec<Vec<u8>>>, x: f32, y: f32, s: f32, text: &str| {
        let mut op = format!("BT /F1 {s} Tf 1 0 0 1 {x:.2} {y:.2} Tm ").into_bytes();
        op.extend(literal(&gbk(text, seven)));
        op.extend(b" Tj ET\n");
        if let Some(last) = streams.last_mut() {
            last.push(op);
        }
    };
    for (kind, text) in GAZETTE {
        let lines: Vec<(f32, String, f32)> = match *kind {
            "centre" => {
                let s = 22.0;
                vec![(
                    ((left + right) - width(text, s)) / 2.0 - left,
                    text.to_string(),
                    s,
                )]
            }
            "centre-body" => vec![(
                ((left + right) - width(text, size)) / 2.0 - left,
                text.to_string(),
                size,
            )],
            "left" => wrap(text, 0.0, right - left, size)
                .into_iter()
                .map(|(x, t)| (x, t, size))
                .collect(),
            "sign" => vec![(
                right - left - 4.0 * size - width(text, size),
                text.to_string(),
                size,
            )],
            _ => wrap(text, 2.0 * size, right - left, size)
                .into_iter()
                .map(|(x, t)| (x, t, size))
                .collect(),
        };
        for (x, line, s) in lines {
            if y < 120.0 {
                streams.push(Vec::new());
                y = top;
            }
            push(&mut streams, left + x, y, s, &line);
            if *kind == "heading-bold" {
                push(&mut streams, left + x + 0.4, y, s, &line);
            }
            y -= if s > size { 36.0 } else { pitch };
        }
    }
    let count = streams.len();
    for (n, ops) in streams.into_iter().enumerate() {
        let mut content = Vec::new();
        let header = "北京市人民政府公报";
        let hx = (595.0 - width(header, 10.5)) / 2.0;
        content.extend(format!("BT /F1 10.5 Tf 1 0 0 1 {hx:.2} 800 Tm ").into_bytes());
        content.extend(literal(&gbk(header, seven)));
        content.extend(b" Tj ET\n");
        for op in ops {
            content.extend(op);
        }
        let number = format!("- {} -", n + 1);
        let nx = (595.0 - width(&number, 14.0)) / 2.0;
        content.extend(format!("BT /F1 14 Tf {nx:.2} 60 Td ").into_bytes());
        content.extend(literal(&gbk(&number, seven)));
        content.extend(b" Tj ET\n");
        pages.push(content);
    }
    assert!(count >= 2, "the gazette fixture must run over two pages");
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun",
        "Encoding" => Object::Name(cmap.as_bytes().to_vec()),
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "SimSun",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("GB1"), "Supplement" => 2,
            },
            "DW" => 1000,
        })],
    };
    document(
        Some(font),
        pages,
        "北京市人民政府办公厅关于印发北京市老旧小区综合整治工作方案的通知",
        false,
    )
}

fn no_unicode() -> Document {
    let mut content = Vec::new();
    for (i, y) in [760, 732, 704].into_iter().enumerate() {
        let codes: Vec<u8> = (0..24u16)
            .flat_map(|k| (0x0A21 + k * 7 + i as u16 * 3).to_be_bytes())
            .collect();
        content.extend(format!("BT /F1 16 Tf 1 0 0 1 111 {y} Tm <").into_bytes());
        for b in codes {
            content.extend(format!("{b:02X}").into_bytes());
        }
        content.extend(b"> Tj ET\n");
    }
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+FangSong_GB2312",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+FangSong_GB2312",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"), "Supplement" => 0,
            },
            "DW" => 1000,
        })],
    };
    document(Some(font), vec![content], "", false)
}

fn scan() -> Document {
    document(None, vec![b"q 495 0 0 742 50 50 cm /Im1 Do Q\n".to_vec()], "扫描件", true)
}

#[cfg(feature = "folder-world")]
fn gongwen() -> Vec<u8> {
    use crate::typeset::folder::FolderWorld;
    let work = tempfile::tempdir().unwrap();
    std::fs::copy(dir().join("gongwen.typ"), work.path().join("edition.typ")).unwrap();
    let world = FolderWorld::new(work.path(), None).unwrap();
    let document = typst::compile::<typst_layout::PagedDocument>(&world).output.unwrap();
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom("huibian/fixture".into()),
        timestamp: None,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).unwrap()
}

fn strip_to_unicode(bytes: &[u8]) -> Document {
    let mut doc = Document::load_mem(bytes).unwrap();
    for (_, object) in doc.objects.iter_mut() {
        if let Object::Dictionary(dict) = object
            && dict.has(b"ToUnicode")
        {
            dict.remove(b"ToUnicode");
        }
    }
    doc
}

#[cfg(feature = "folder-world")]
#[test]
#[ignore = "remakes the committed fixtures"]
fn generate() {
    let gongwen = gongwen();
    std::fs::write(dir().join("gongwen.pdf"), &gongwen).unwrap();
    save(strip_to_unicode(&gongwen), "gongwen-no-tounicode.pdf");
    save(gazette("GBK-EUC-H"), "gazette-gbk.pdf");
    save(gazette("GB-H"), "gazette-gb-h.pdf");
    save(no_unicode(), "no-unicode.pdf");
    save(scan(), "scan.pdf");
}
