//! Word files built here the way Word writes them (namespaces, `w:rPr`, a real
//! numbering.xml with abstractNum/num/lvlOverride, styles.xml with a numbered heading
//! style), read back.

use std::io::Write;

use super::package::Bounds;
use super::*;

const W_NS: &str = r#"xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" mc:Ignorable="w14 wp14""#;

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Word's numbering.xml for the lists of the tests:
/// - abstract 0 (num 1, and num 2 restarting it): 一、 / （一） / 1.
/// - abstract 1 (num 3): 第一条
/// - abstract 2 (num 4): 一、 / （一） with lvlRestart 0 (continuous)
/// - abstract 3 (num 5): numStyleLink → style ListHeadings → num 6 → abstract 4 (styleLink)
const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<w:abstractNum w:abstractNumId="0" w15:restartNumberingAfterBreak="0" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w:nsid w:val="1A2B3C4D"/><w:multiLevelType w:val="multilevel"/><w:tmpl w:val="0409001D"/>
<w:lvl w:ilvl="0" w:tplc="04090001"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="1"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hint="eastAsia"/></w:rPr></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="1280"/></w:tabs></w:pPr></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="space"/><w:lvlText w:val="第%1条"/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlRestart w:val="0"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3"><w:multiLevelType w:val="multilevel"/><w:numStyleLink w:val="ListHeadings"/></w:abstractNum>
<w:abstractNum w:abstractNumId="4"><w:multiLevelType w:val="multilevel"/><w:styleLink w:val="ListHeadings"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="4"/></w:num>
</w:numbering>"#;

/// styles.xml: Normal, a numbered heading style `1` (标题 1, numId 1), a custom
/// `a5` based on it (the chain), the linked list style, Title.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:link w:val="10"/><w:pPr><w:keepNext/><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="a5"><w:name w:val="一级标题"/><w:basedOn w:val="1"/><w:pPr><w:pPrChange w:id="9" w:author="x" w:date="2021-01-01T00:00:00Z"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:pPrChange></w:pPr></w:style>
<w:style w:type="numbering" w:customStyle="1" w:styleId="ListHeadings"><w:name w:val="ListHeadings"/><w:pPr><w:numPr><w:numId w:val="6"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/></w:style>
</w:styles>"#;

/// A .docx under construction.
struct Docx {
    main: &'static str,
    body: String,
    numbering: bool,
    styles: bool,
    footnotes: Option<String>,
    core: Option<String>,
    media: Vec<(&'static str, &'static str, Vec<u8>)>,
    extra: Vec<(&'static str, Vec<u8>)>,
    rels_extra: String,
}

impl Docx {
    fn new(body: impl Into<String>) -> Self {
        Docx {
            main: "word/document.xml",
            body: body.into(),
            numbering: true,
            styles: true,
            footnotes: None,
            core: None,
            media: Vec::new(),
            extra: Vec::new(),
            rels_extra: String::new(),
        }
    }

    fn document(&self) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W_NS}><w:body>{}<w:sectPr w:rsidR="00A1"><w:headerReference w:type="default" r:id="rId9"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr></w:body></w:document>"#,
            self.body
        )
    }

    fn doc_rels(&self) -> String {
        let mut rels = String::new();
        if self.styles {
            rels.push_str(&format!(
                r#"<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>"#
            ));
        }
        if self.numbering {
            rels.push_str(&format!(r#"<Relationship Id="rId2" Type="{REL}/numbering" Target="numbering.xml"/>"#));
        }
        if self.footnotes.is_some() {
            rels.push_str(&format!(r#"<Relationship Id="rId3" Type="{REL}/footnotes" Target="footnotes.xml"/>"#));
        }
        for (id, target, _) in &self.media {
            rels.push_str(&format!(
                r#"<Relationship Id="{id}" Type="{REL}/image" Target="{target}"/>"#
            ));
        }
        rels.push_str(&self.rels_extra);
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        )
    }

    fn build(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        let mut put = |name: &str, bytes: &[u8]| {
            zip.start_file(name, opts).unwrap();
            zip.write_all(bytes).unwrap();
        };
        put("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#);
        let root_rels = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="{REL}/officeDocument" Target="{}"/></Relationships>"#,
            self.main
        );
        put("_rels/.rels", root_rels.as_bytes());
        put(self.main, self.document().as_bytes());
        let (dir, file) = self.main.rsplit_once('/').unwrap();
        put(&format!("{dir}/_rels/{file}.rels"), self.doc_rels().as_bytes());
        if self.styles {
            put("word/styles.xml", STYLES.as_bytes());
        }
        if self.numbering {
            put("word/numbering.xml", NUMBERING.as_bytes());
        }
        if let Some(f) = &self.footnotes {
            put("word/footnotes.xml", f.as_bytes());
        }
        if let Some(title) = &self.core {
            let core = format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>admin</dc:creator><cp:lastModifiedBy>USER</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2021-11-05T01:23:00Z</dcterms:created></cp:coreProperties>"#
            );
            put("docProps/core.xml", core.as_bytes());
        }
        for (_, target, bytes) in &self.media {
            put(&format!("word/{target}"), bytes);
        }
        for (name, bytes) in &self.extra {
            put(name, bytes);
        }
        zip.finish().unwrap().into_inner()
    }
}

/// A paragraph of one run, as Word writes it (rsids, run properties).
fn p(text: &str) -> String {
    format!(
        r#"<w:p w:rsidR="00B2" w:rsidRDefault="00B2"><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="32"/></w:rPr><w:t>{text}</w:t></w:r></w:p>"#
    )
}

/// A paragraph on list `num` at level `ilvl`.
fn pnum(num: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr><w:ind w:firstLine="640"/></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>{text}</w:t></w:r></w:p>"#
    )
}

/// A paragraph in style `style`.
fn pstyle(style: &str, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn paras(intake: &Intake) -> Vec<&str> {
    intake
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

fn read_docx(d: &Docx) -> Intake {
    read(&d.build()).unwrap()
}

#[test]
fn automatic_numbering_becomes_markers() {
    let body = [
        pstyle("1", "总体要求"),
        pnum(1, 1, "指导思想。"),
        pnum(1, 1, "基本原则。"),
        pnum(1, 2, "坚持统筹推进。"),
        pnum(1, 2, "坚持问题导向。"),
        pstyle("a5", "重点任务"),
        pnum(1, 1, "加快数字化转型。"),
        pnum(1, 2, "2.5亿元专项资金。"),
    ]
    .concat();
    let intake = read_docx(&Docx::new(body));
    assert_eq!(
        paras(&intake),
        [
            "一、总体要求",
            "（一）指导思想。",
            "（二）基本原则。",
            "1.坚持统筹推进。",
            "2.坚持问题导向。",
            "二、重点任务",
            "（一）加快数字化转型。",
            "1. 2.5亿元专项资金。",
        ]
    );
    assert!(intake.notes.is_empty(), "{:?}", intake.notes);
}

#[test]
fn articles_count_in_hanzi() {
    let body: String = (1..=12).map(|i| pnum(3, 0, &format!("条文{i}。"))).collect();
    let intake = read_docx(&Docx::new(body));
    let got = paras(&intake);
    assert_eq!(got[0], "第一条条文1。");
    assert_eq!(got[9], "第十条条文10。");
    assert_eq!(got[11], "第十二条条文12。");
}

#[test]
fn a_style_linked_list_numbers_through_its_style() {
    let body = [pnum(5, 0, "甲项"), pnum(5, 0, "乙项"), pnum(6, 0, "丙项")].concat();
    let intake = read_docx(&Docx::new(body));
    // num 5 reaches abstract 4 through numStyleLink; num 6 uses abstract 4 directly:
    // one list, counters shared.
    assert_eq!(paras(&intake), ["①甲项", "②乙项", "③丙项"]);
}

#[test]
fn an_interrupted_list_continues_and_a_start_override_restarts_it() {
    let body = [
        pnum(1, 0, "第一部分"),
        p("一段没有编号的说明。"),
        pnum(1, 0, "第二部分"),
        pnum(2, 0, "新的清单"),
        pnum(2, 0, "继续"),
    ]
    .concat();
    let intake = read_docx(&Docx::new(body));
    assert_eq!(
        paras(&intake),
        [
            "一、第一部分",
            "一段没有编号的说明。",
            "二、第二部分",
            "一、新的清单",
            "二、继续"
        ]
    );
}

#[test]
fn lvl_restart_zero_keeps_counting_across_sections() {
    let mut body = pnum(4, 0, "第一部分");
    for i in 1..=7 {
        body.push_str(&pnum(4, 1, &format!("事项{i}")));
    }
    body.push_str(&pnum(4, 0, "第二部分"));
    for i in 8..=12 {
        body.push_str(&pnum(4, 1, &format!("事项{i}")));
    }
    let intake = read_docx(&Docx::new(body));
    let got = paras(&intake);
    assert_eq!(got[8], "二、第二部分");
    assert_eq!(got[9], "（八）事项8");
    assert_eq!(got[13], "（十二）事项12");
}

#[test]
fn a_typed_marker_under_a_stale_numpr_is_not_doubled() {
    let body = [
        pnum(1, 0, "一、总体要求"),
        pnum(1, 0, "　　二、主要任务"),
        pnum(1, 0, "保障措施"),
    ]
    .concat();
    let intake = read_docx(&Docx::new(body));
    assert_eq!(paras(&intake), ["一、总体要求", "二、主要任务", "三、保障措施"]);
    assert!(
        intake.notes.iter().any(|n| n.contains("typed marker")),
        "{:?}",
        intake.notes
    );
}

/// A text box as Word 2010+ writes it: the DrawingML shape in mc:Choice and the
/// same text again as VML in mc:Fallback.
fn text_box(text: &str) -> String {
    let inner = format!(
        r#"<w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"#
    );
    format!(
        r##"<w:r><w:rPr><w:noProof/></w:rPr><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>1371600</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>99060</wp:posOffset></wp:positionV><wp:extent cx="2743200" cy="396240"/><wp:wrapNone/><wp:docPr id="2" name="文本框 2"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{inner}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape id="文本框 2" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute"><v:textbox>{inner}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"##
    )
}

#[test]
fn a_red_header_with_its_number_in_a_text_box() {
    let header = r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体"/><w:color w:val="FF0000"/><w:w w:val="66"/><w:sz w:val="100"/></w:rPr><w:t>北京市人民政府文件</w:t></w:r></w:p>"#;
    let anchor = format!(
        r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}</w:p>"#,
        text_box("京政发〔2021〕24号")
    );
    let title = r#"<w:p><w:pPr><w:spacing w:line="600" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体" w:hint="eastAsia"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr><w:t>北京市人民政府关于</w:t></w:r><w:r><w:rPr><w:sz w:val="44"/></w:rPr><w:t>印发某某方案的通知</w:t></w:r></w:p>"#;
    let body = [
        header.to_string(),
        anchor,
        title.to_string(),
        p("各区人民政府，市政府各委、办、局："),
        p("　　现将方案印发给你们，请认真贯彻落实。"),
        r#"<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t>北京市人民政府　　　　</w:t></w:r></w:p>"#.to_string(),
    ]
    .concat();
    let mut docx = Docx::new(body);
    docx.core = Some("Microsoft Word - 京政发24号.doc".into());
    let intake = read_docx(&docx);
    insta::assert_debug_snapshot!(intake.blocks);
    let title = intake.fields.title.unwrap();
    assert_eq!(title.value, "北京市人民政府关于印发某某方案的通知");
    assert_eq!(title.from, "the document's title paragraph (centred, 22 pt)");
    assert_eq!(intake.format, "Word document");
}

#[test]
fn merged_cells_keep_their_spans() {
    let tc = |props: &str, text: &str| {
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="2130" w:type="dxa"/>{props}</w:tcPr><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"#
        )
    };
    let two_paras = r#"<w:tc><w:tcPr><w:tcW w:w="2130" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>第一行</w:t></w:r></w:p><w:p><w:r><w:t>第二行</w:t></w:r></w:p></w:tc>"#;
    let nested = r#"<w:tc><w:tcPr/><w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>内表甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>内表乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc>"#;
    let table = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="2130"/><w:gridCol w:w="2130"/><w:gridCol w:w="2130"/></w:tblGrid>
<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr>
<w:tr>{}{}{}</w:tr>
<w:tr>{}{}{}</w:tr>
<w:tr><w:trPr><w:gridBefore w:val="1"/><w:wBefore w:w="2130" w:type="dxa"/></w:trPr>{}{}</w:tr>
</w:tbl>"#,
        tc(r#"<w:gridSpan w:val="2"/>"#, "项目"),
        tc("", "金额"),
        tc(r#"<w:vMerge w:val="restart"/>"#, "财政资金"),
        tc("", "市级"),
        two_paras,
        tc("<w:vMerge/>", ""),
        tc("", "区级"),
        nested,
        tc("", "合计"),
        tc("", "100"),
    );
    let intake = read_docx(&Docx::new(format!("{}{table}{}", p("附表"), p("表后文字"))));
    insta::assert_debug_snapshot!(intake.blocks);
    let Block::Table(t) = &intake.blocks[1] else { panic!("{:?}", intake.blocks) };
    assert_eq!(t.header_rows, 1);
    assert_eq!(t.rows[0][0].colspan, 2);
    assert_eq!(t.rows[1][0].rowspan, 2);
    assert_eq!(t.rows[2].len(), 2);
    assert_eq!(t.rows[1][2].text, "第一行\n第二行");
    assert_eq!(t.rows[2][1].text, "内表甲\n内表乙");
}

#[test]
fn footnotes_go_in_place_and_tracked_changes_are_accepted() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">本办法所称企业</w:t></w:r><w:r><w:rPr><w:rStyle w:val="a7"/><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r><w:r><w:t>，是指</w:t></w:r><w:del w:id="3" w:author="张三" w:date="2021-10-01T09:00:00Z"><w:r><w:delText>在本市注册的</w:delText></w:r></w:del><w:ins w:id="4" w:author="张三" w:date="2021-10-01T09:00:00Z"><w:r><w:t>依法登记的</w:t></w:r></w:ins><w:r><w:t>法人。</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>见附件</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:moveFrom w:id="5" w:author="x" w:date="2021-10-01T09:00:00Z"><w:r><w:t>移走的</w:t></w:r></w:moveFrom></w:p>"#;
    let mut docx = Docx::new(body);
    docx.footnotes = Some(format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="a6"/></w:pPr><w:r><w:rPr><w:rStyle w:val="a7"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 含个体工商户。</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    ));
    let intake = read_docx(&docx);
    assert_eq!(
        paras(&intake),
        ["本办法所称企业（注：含个体工商户。），是指依法登记的法人。见附件"]
    );
    assert!(
        intake.notes.iter().any(|n| n.contains("tracked deletion")),
        "{:?}",
        intake.notes
    );
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn inline_image(rel: &str, descr: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:noProof/></w:rPr><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="5274310" cy="2966720"/><wp:effectExtent l="0" t="0" r="2540" b="5080"/><wp:docPr id="1" name="图片 1" descr="{descr}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

#[test]
fn images_become_assets_and_emf_a_note() {
    let body = [
        p("流程图如下："),
        inline_image("rId20", "办理流程图"),
        inline_image("rId21", ""),
        inline_image("rId20", ""),
    ]
    .concat();
    let mut docx = Docx::new(body);
    docx.media.push(("rId20", "media/image1.png", PNG.to_vec()));
    docx.media.push(("rId21", "media/image2.emf", b"\x01\0\0\0 EMF".to_vec()));
    let intake = read_docx(&docx);
    assert_eq!(
        intake.blocks,
        [
            Block::Para("流程图如下：".into()),
            Block::Image { asset: "image-1.png".into(), alt: "办理流程图".into() },
            Block::Image { asset: "image-1.png".into(), alt: String::new() },
        ]
    );
    assert_eq!(intake.assets.len(), 1);
    assert_eq!(intake.assets[0].bytes, PNG);
    assert!(intake.notes.iter().any(|n| n.contains("emf")), "{:?}", intake.notes);
}

#[test]
fn breaks_tabs_and_symbols() {
    let body = r#"<w:p><w:r><w:t>抄送：市委办公厅，</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>市人大常委会办公厅。</w:t></w:r><w:r><w:br w:type="page"/></w:r><w:r><w:t>第二页</w:t><w:tab/><w:t>续</w:t><w:noBreakHyphen/><w:t>文</w:t><w:sym w:font="Wingdings" w:char="F0FC"/></w:r></w:p>"#;
    let intake = read_docx(&Docx::new(body));
    assert_eq!(
        paras(&intake),
        ["抄送：市委办公厅，", "市人大常委会办公厅。第二页 续-文"]
    );
    assert!(intake.notes.iter().any(|n| n.contains("symbol")), "{:?}", intake.notes);
}

#[test]
fn the_main_part_is_found_through_the_relationships() {
    let mut docx = Docx::new(p("正文在另一个部件里。"));
    docx.main = "word/document2.xml";
    docx.core = Some("关于加强某某工作的意见".into());
    let intake = read_docx(&docx);
    assert_eq!(paras(&intake), ["正文在另一个部件里。"]);
    let title = intake.fields.title.unwrap();
    assert_eq!(title.value, "关于加强某某工作的意见");
    assert!(title.from.contains("core.xml"));
}

#[test]
fn a_template_title_in_the_properties_is_ignored() {
    for leftover in ["Microsoft Word - 文档1.docx", "", "标题", "Document", "通知.doc"]
    {
        let mut docx = Docx::new(p("正文。"));
        docx.core = Some(leftover.into());
        assert_eq!(read_docx(&docx).fields.title, None, "{leftover}");
    }
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_zip_bomb_is_refused_while_it_inflates() {
    let mut docx = Docx::new(p("正文。"));
    // 8 MB of zeros deflate to a few KB; the bound is 1 MB per entry.
    docx.extra.push(("word/media/bomb.png", vec![0u8; 8 * 1024 * 1024]));
    docx.media.push(("rId30", "media/bomb.png", Vec::new()));
    docx.media.pop();
    docx.rels_extra = format!(
        r#"<Relationship Id="rId30" Type="{REL}/image" Target="media/bomb.png"/>"#
    );
    docx.body.push_str(&inline_image("rId30", ""));
    let bytes = docx.build();
    assert!(bytes.len() < 64 * 1024, "{}", bytes.len());
    let bounds = Bounds { entries: 100, entry: 1024 * 1024, unpacked: 4 * 1024 * 1024 };
    let err = read_with(&bytes, bounds).unwrap_err();
    assert!(
        matches!(&err, IntakeError::TooLarge { size, limit: 1048576, .. } if *size == 1048577),
        "{err:?}"
    );
    // The total bound holds too: many entries each under the entry bound.
    let bounds =
        Bounds { entries: 100, entry: 16 * 1024 * 1024, unpacked: 2 * 1024 * 1024 };
    let err = read_with(&bytes, bounds).unwrap_err();
    assert!(
        matches!(&err, IntakeError::TooLarge { what, .. } if what.contains("entries")),
        "{err:?}"
    );
    let bounds = Bounds { entries: 3, ..Bounds::default() };
    assert!(matches!(read_with(&bytes, bounds), Err(IntakeError::TooLarge { .. })));
}

#[test]
fn an_entity_bomb_is_refused() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"#;
    let rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    let bytes = zip_of(&[
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", bomb.as_bytes()),
    ]);
    let err = read(&bytes).unwrap_err();
    assert!(
        matches!(&err, IntakeError::Malformed(m) if m.contains("DOCTYPE")),
        "{err:?}"
    );
    // An undeclared entity without a DOCTYPE is refused as well.
    let doc = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>"#;
    let bytes = zip_of(&[
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ]);
    assert!(
        matches!(read(&bytes), Err(IntakeError::Malformed(m)) if m.contains("entity"))
    );
}

#[test]
fn entries_and_targets_outside_the_package_are_never_used() {
    let mut docx = Docx::new([p("正文。"), inline_image("rId40", "")].concat());
    docx.extra.push(("../../evil", PNG.to_vec()));
    docx.extra.push(("/etc/evil.png", PNG.to_vec()));
    docx.rels_extra =
        format!(r#"<Relationship Id="rId40" Type="{REL}/image" Target="../../evil"/>"#);
    let intake = read_docx(&docx);
    assert_eq!(intake.blocks, [Block::Para("正文。".into())]);
    assert!(intake.assets.is_empty());
    assert!(intake.notes.iter().any(|n| n.contains("outside")), "{:?}", intake.notes);
}

#[test]
fn damaged_and_empty_packages_say_why() {
    let bytes = Docx::new(p("正文。")).build();
    let err = read(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(&err, IntakeError::Malformed(m) if m.contains("zip")), "{err:?}");
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let err =
        read(&zip_of(&[("_rels/.rels", rels), ("word/styles.xml", STYLES.as_bytes())]))
            .unwrap_err();
    assert!(
        matches!(&err, IntakeError::Malformed(m) if m.contains("main document")),
        "{err:?}"
    );
    let err = read(&zip_of(&[("word/styles.xml", STYLES.as_bytes())])).unwrap_err();
    assert!(matches!(&err, IntakeError::Malformed(_)), "{err:?}");
    let err = read(&Docx::new("<w:p/><w:p><w:r><w:t>　　</w:t></w:r></w:p>").build())
        .unwrap_err();
    assert!(matches!(&err, IntakeError::NoText(_)), "{err:?}");
    // Corrupted deflate data in the main part.
    let mut bytes = Docx::new(p(&"正文内容。".repeat(200))).build();
    let at = bytes.windows(17).position(|w| w == b"word/document.xml").unwrap() + 17 + 40;
    for b in &mut bytes[at..at + 20] {
        *b ^= 0x5A;
    }
    assert!(matches!(read(&bytes), Err(IntakeError::Malformed(_))));
}

#[test]
fn no_byte_sequence_panics() {
    let good = Docx::new([pnum(1, 0, "总体要求"), p("正文。")].concat()).build();
    for cut in (0..good.len()).step_by(97) {
        let _ = read(&good[..cut]);
    }
    for i in (0..good.len()).step_by(131) {
        let mut bytes = good.clone();
        bytes[i] ^= 0xFF;
        let _ = read(&bytes);
    }
}
