#!/usr/bin/env python3
"""Writes the raw seed inputs of every fuzz target, from the project's own sources
and fixtures, into the folder given (default /var/tmp/huibian-fuzz/seeds/<target>/).
`cargo fuzz cmin` then keeps the ones that add coverage: see fuzz/README.md."""

import hashlib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/var/tmp/huibian-fuzz/seeds")
LIMIT = 3500


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def cut(text, limit=LIMIT):
    """The text up to `limit` bytes, cut at a line end."""
    data = text.encode()
    if len(data) <= limit:
        return text
    head = data[:limit].decode(errors="ignore")
    return head[: head.rfind("\n") + 1] or head


def front_and_body(text):
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return None, text
    return text[4:end + 1], text[end + 5:]


markdown = sorted(
    p for base in ("tests/fixtures", "sources") for p in (ROOT / base).rglob("*.md")
)
texts = [p.read_text() for p in markdown]

for text in texts:
    put("markdown", cut(text))
    put("build_pdf", cut(text, 2000))
    for flags in (0, 1, 2):
        put("fmt", bytes([flags]) + cut(text, 2500).encode())
    yaml, body = front_and_body(text)
    title = ""
    for line in (yaml or "").splitlines():
        if line.startswith("title:"):
            title = line[6:].strip()
    lines = [l.lstrip("#").strip() for l in body.splitlines() if l.strip()]
    put("numbering", cut(title + "\n" + "\n".join(lines), 2000))

intro = (ROOT / "tests/fixtures/basic/引言.md").read_text()
for text in texts[:8]:
    put("build_pdf", cut(intro, 800).encode() + b"\xff" + cut(text, 1500).encode())

for manifest in sorted(
    p for base in ("tests/fixtures", "sources") for p in (ROOT / base).rglob("edition.toml")
):
    put("edition_toml", manifest.read_text())
# Manifests naming the files the edition_toml target's folder holds.
put("edition_toml", """title = "汇编"
subtitle = "2021年四季度"
publisher = "北京市工商业联合会"
published = "2022-01"
period = ["2021-10-01", "2021-12-31"]
intro = "引言.md"

[[category]]
title = "优化营商环境"
policies = ["优化营商环境/市场主体活力.md", "措施.md"]

[[category]]
title = "规划"
body = "引言.md"

[style]
body_size = 12
cjk_latin_spacing = true
page_numbering = "continuous"
""")
put("edition_toml", 'title = "汇编"\n[[category]]\ntitle = "甲"\npolicies = ["broken.md", "../x.md", "/etc/passwd", "notes.txt", "优化营商环境"]\n')

seed = (ROOT / "tests/fixtures/seed-2021-Q4.txt").read_text()
toc_end = seed.find("140 3 1.优化营商环境")
put("import", cut(seed, 3500))
put("import", seed[: toc_end + 6] + seed[toc_end + 6 : toc_end + 2000])
# The cover and 目录 lines of the first category, then its first policy's text.
first_cat_end = seed.find("2.科技创新领域")
put("import", seed[:first_cat_end] + seed[toc_end : toc_end + 1500])
lines = seed[seed.find("目 录") : toc_end]
put("import", "汇编\n目 录 " + lines[:600] + " " + seed[toc_end : toc_end + 1200])
for start in range(toc_end, len(seed), 40000):
    put("import", seed[:1500] + seed[start : start + 1500])
