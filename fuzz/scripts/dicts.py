#!/usr/bin/env python3
"""Writes fuzz/dict/*.dict: libFuzzer dictionaries with non-ASCII bytes escaped
(\\xNN), so that every libFuzzer version reads them."""

import pathlib

DICT = pathlib.Path(__file__).resolve().parents[1] / "dict"

MARKERS = [
    "一、", "二、", "十一、", "（一）", "（二）", "(一)", "(1)", "（1）", "（２）", "1.", "2.", "1、",
    "1．", "１.", "一.", "①", "②", "⑴", "⒈", "㈠", "第一章", "第二章", "第一节", "第一条",
    "第二条", "第十条", "第一百零二条", "一是", "二是", "第一，", "首先", "十", "百", "千",
    "零", "〇", "两", "一十一", "二十", "九十九", "附件：", "附件", "\u3000", "　", " ",
]
TEXT = [
    "。", "；", "：", "，", "！", "？", "、", "“", "”", "《", "》", "〔", "〕", "…", "—",
    ",", ":", ";", "?", "!", "(", ")", "\"", "GB/T 9704-2012", "http://", "10:30",
    "1,000", "实施方案", "办法", "条例", "规定", "意见", "通知", "措施", "总则", "附则",
    "北京市人民政府", "京政发〔2021〕24号", "2021年11月5日",
]
MARKDOWN = [
    "---", "...", "---\n", "\n---\n", "# ", "## ", "### ", "#", "\n\n", "\n", "  \n",
    "> ", "- ", "* ", "1) ", "```", "~~~", "    ", "|", "| --- |", "[", "](", "](#",
    ")", "<", ">", "<script>", "`", "*", "**", "~~", "\\", "&amp;", "[^1]", "![",
    "\r\n", "\xef\xbb\xbf",
]
YAML = [
    "title: ", "issuer: ", "number: ", "date: ", "excerpt: ", "id: ", "excerpt: true",
    "date: 2021-11-05", "issuer: [", "  - ", "'", "\"", "&a ", "*a", "!!str ", "|",
    ">-", "{", "}", "[", "]", "#", ": ", "null", "~", "2021-02-29", "\\u4e00",
]
TOML = [
    "title = ", "subtitle = ", "publisher = ", "published = ", "period = ", "intro = ",
    "[[category]]", "policies = [", "body = ", "[style]", "body_size = ",
    "cjk_latin_spacing = ", "page_numbering = ", "\"front-roman\"", "\"continuous\"",
    "\"2022-01\"", "[\"2021-10-01\", \"2021-12-31\"]", "\"引言.md\"",
    "\"优化营商环境/市场主体活力.md\"", "\"措施.md\"", "\"broken.md\"", "\"notes.txt\"",
    "\"../\"", "\"/\"", "\"./\"", "\"优化营商环境\"", "true", "false", "1e400", "'''",
    "\"\"\"", "=", "\n", "#", "{", "}", "[", "]", ",", ".",
]
IMPORT = [
    "目 录", "目录", "引 言", "....................", "........ 4", " 1.", " 2.",
    "优化营商环境", ".pdf\n", " 3 ", " 140 ", "北京市工商业联合会", "2022 年 1 月",
    "(2021 年四季度)", "附件:", "京政发〔2021〕24 号", "北京市人民政府 2021 年 11 月 5 日",
    "(此件公开发布)", "第一条", "一、", "(一)", "1.", "(1)",
]


def escape(word):
    out = []
    for byte in word.encode():
        ch = chr(byte)
        if ch == "\\" or ch == '"':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{byte:02X}")
    return '"' + "".join(out) + '"'


def write(name, *groups):
    words = []
    for group in groups:
        for word in group:
            if word not in words:
                words.append(word)
    lines = [f"# huibian fuzz dictionary `{name}`, written by fuzz/scripts/dicts.py"]
    for word in words:
        readable = word.encode("unicode_escape").decode() if not word.isprintable() else word
        lines.append(f"# {readable}")
        lines.append(escape(word))
    (DICT / f"{name}.dict").write_text("\n".join(lines) + "\n")


write("markdown", YAML, MARKDOWN, MARKERS, TEXT)
write("build_pdf", YAML, MARKDOWN, MARKERS, TEXT)
write("fmt", YAML, MARKDOWN, MARKERS, TEXT)
write("numbering", MARKERS, TEXT)
write("import", IMPORT, MARKERS, TEXT)
write("edition_toml", TOML)
