#!/usr/bin/env python3
"""Inputs and the report for scripts/bench, made from a real edition.

  bench_data.py mdbook   EDITION DEST        the same text as an mdBook project
  bench_data.py changed  EDITION DEST        a heavily changed copy (for diff)
  bench_data.py editions EDITION DEST N      N editions: policies shuffled, text varied
  bench_data.py edit     FILE ROUND          a one-paragraph edit, in place
  bench_data.py intake   EDITION DEST        a ~30 KB saved gov page and a ~100 KB .docx
                                             of one of its policies, for `add`
  bench_data.py report   DIR                 table + report.json from the measurements

Everything is deterministic (fixed seeds), so two runs compare the same work.
"""

import json
import os
import random
import re
import shutil
import statistics
import sys
import tomllib
from pathlib import Path


def manifest(edition: Path) -> dict:
    with open(edition / "edition.toml", "rb") as f:
        return tomllib.load(f)


def split_front_matter(text: str) -> tuple[dict, str]:
    """The flat `key: value` lines of the front matter, and the body."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        return {}, text
    meta = {}
    for line in text[4:end].splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.startswith((" ", "-")):
            meta[key.strip()] = value.strip()
    return meta, text[end + 5 :]


# --- mdBook -----------------------------------------------------------------


def write_mdbook(edition: Path, dest: Path) -> None:
    """An mdBook project with the edition's text: one chapter per policy, one part
    per category, the intro first. The same Markdown bodies huibian reads."""
    m = manifest(edition)
    src = dest / "src"
    if dest.exists():
        shutil.rmtree(dest)
    src.mkdir(parents=True)
    (dest / "book.toml").write_text(
        "[book]\n"
        f'title = "{m["title"]}"\n'
        'language = "zh-CN"\n'
        'src = "src"\n\n'
        "[output.html]\n"
        "[output.html.search]\n"
        "enable = true\n",
        encoding="utf-8",
    )
    summary = ["# Summary", ""]
    n = 0

    def chapter(rel: str, title: str | None, indent: str) -> None:
        nonlocal n
        n += 1
        meta, body = split_front_matter((edition / rel).read_text(encoding="utf-8"))
        title = title or meta.get("title") or Path(rel).stem
        lines = [f"# {title}", ""]
        for key in ("number", "issuer", "date"):
            if key in meta:
                lines.append(f"{meta[key]}  ")
        name = f"{n:03}.md"
        (src / name).write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
        summary.append(f"{indent}- [{title}]({name})")

    if "intro" in m:
        chapter(m["intro"], "引言", "")
    for number, category in enumerate(m.get("category", []), 1):
        heading = f"{number}.{category['title']}"
        if "body" in category:
            chapter(category["body"], heading, "")
        else:
            n += 1
            name = f"{n:03}.md"
            (src / name).write_text(f"# {heading}\n", encoding="utf-8")
            summary.append(f"- [{heading}]({name})")
        for rel in category.get("policies", []):
            chapter(rel, None, "  ")
    (src / "SUMMARY.md").write_text("\n".join(summary) + "\n", encoding="utf-8")


# --- variations ---------------------------------------------------------------


def copy_edition(edition: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(edition, dest)


def vary(text: str, rng: random.Random, share: float, drop: bool) -> str:
    """Changes about `share` of the body paragraphs: a word swapped, a clause added,
    and with `drop` a paragraph dropped or duplicated (which breaks numbering, so only
    for diff's input). Headings and front matter are kept."""
    meta_end = text.find("\n---\n", 4) + 5 if text.startswith("---\n") else 0
    head, body = text[:meta_end], text[meta_end:]
    paras = body.split("\n\n")
    out = []
    for p in paras:
        if p.startswith("#") or not p.strip() or rng.random() >= share:
            out.append(p)
            continue
        kind = rng.randrange(4 if drop else 2)
        if kind == 0:
            out.append(p.replace("企业", "市场主体", 1).replace("加强", "进一步加强", 1))
        elif kind == 1:
            out.append(p.rstrip("。") + "，并定期向社会公布进展情况。")
        elif kind == 2:
            continue
        else:
            out.extend([p, p.replace("。", "；", 1)])
    return head + "\n\n".join(out)


def write_changed(edition: Path, dest: Path) -> None:
    """2021-Q4 after a heavy revision: a third of the paragraphs changed, one policy
    removed, one moved to another category, the categories' policies reordered."""
    copy_edition(edition, dest)
    rng = random.Random(2021)
    for path in sorted(dest.rglob("*.md")):
        path.write_text(vary(path.read_text(encoding="utf-8"), rng, 0.33, True), encoding="utf-8")
    text = (dest / "edition.toml").read_text(encoding="utf-8")
    m = manifest(dest)
    cats = [c for c in m["category"] if c.get("policies")]
    removed = cats[0]["policies"][-1]
    moved = cats[1]["policies"][0]
    text = text.replace(f'  "{removed}",\n', "", 1)
    (dest / removed).unlink()
    text = text.replace(f'  "{moved}",\n', "", 1)
    last = cats[-1]["policies"][-1]
    text = text.replace(f'  "{last}",\n', f'  "{last}",\n  "{moved}",\n', 1)
    first, second = cats[2]["policies"][:2]
    text = text.replace(f'"{first}"', "\0").replace(f'"{second}"', f'"{first}"')
    text = text.replace("\0", f'"{second}"')
    (dest / "edition.toml").write_text(text, encoding="utf-8")


def write_big(dest: Path, count: int) -> None:
    """An edition of `count` one-page policies in 20 categories, as the hostile
    corpus's 2,000-policy case builds it: the cost of a book ten times 2021-Q4's size."""
    dest.mkdir(parents=True, exist_ok=True)
    lines = ['title = "大汇编"', 'subtitle = "2021年四季度"', 'publisher = "出版者"',
             'published = "2022-01"', 'period = ["2021-10-01", "2021-12-31"]', ""]
    per = max(1, count // 20)
    for c in range(1, 21):
        names = []
        for i in range((c - 1) * per + 1, min(c * per, count) + 1):
            name = f"c{c}/p{i}.md"
            names.append(name)
            path = dest / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"---\ntitle: 第{i}号政策\nissuer: 北京市人民政府\nnumber: 京政发〔2021〕{i}号\n"
                f"date: 2021-11-05\n---\n## 一、总则\n\n第{i}号政策正文。\n", encoding="utf-8")
        if names:
            lines.append(f'[[category]]\ntitle = "第{c}类"\npolicies = [\n' +
                         "".join(f'  "{n}",\n' for n in names) + "]\n")
    (dest / "edition.toml").write_text("\n".join(lines), encoding="utf-8")


def write_editions(edition: Path, dest: Path, count: int) -> list[Path]:
    """`count` editions of about the same size, `2018-Q1` onwards: each takes the
    policies of 2021-Q4 in a shuffled order across its categories, with its text varied."""
    m = manifest(edition)
    policies = [p for c in m["category"] for p in c.get("policies", [])]
    cats = [c for c in m["category"] if c.get("policies")]
    bodies = [c for c in m["category"] if not c.get("policies")]
    if dest.exists():
        shutil.rmtree(dest)
    made = []
    for i in range(count):
        year, quarter = 2018 + i // 4, i % 4 + 1
        ed = dest / f"{year}-Q{quarter}"
        made.append(ed)
        rng = random.Random(i)
        shuffled = policies[:]
        rng.shuffle(shuffled)
        lines = [
            f'title     = "{m["title"]}"',
            f'subtitle  = "{year}年第{quarter}季度"',
            f'publisher = "{m["publisher"]}"',
            f'published = "{year}-{quarter * 3:02}"',
            f'intro     = "{m["intro"]}"',
            "",
        ]
        taken = 0
        for k, cat in enumerate(cats):
            size = len(cat["policies"])
            chosen = shuffled[taken : taken + size]
            taken += size
            lines += ["[[category]]", f'title    = "{cat["title"]}"', "policies = ["]
            for j, rel in enumerate(chosen):
                new = f"c{k}/p{j}.md"
                target = ed / new
                target.parent.mkdir(parents=True, exist_ok=True)
                text = (edition / rel).read_text(encoding="utf-8")
                target.write_text(vary(text, rng, 0.2, False), encoding="utf-8")
                lines.append(f'  "{new}",')
            lines += ["]", ""]
        for cat in bodies:
            lines += ["[[category]]", f'title = "{cat["title"]}"', f'body  = "{cat["body"]}"', ""]
            shutil.copy(edition / cat["body"], ed / cat["body"])
        shutil.copy(edition / m["intro"], ed / m["intro"])
        if "style" in m:
            lines.append("[style]")
            for key, value in m["style"].items():
                lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        (ed / "edition.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return made


def edit(path: Path, round_: int) -> None:
    """The one-paragraph edit an editor makes: a few characters in the first body
    paragraph, different each round. Written in place, as an editor's save is."""
    text = path.read_text(encoding="utf-8")
    meta_end = text.find("\n---\n", 4) + 5
    first = text.index("。", meta_end)
    text = re.sub(r"（第\d+稿）", "", text[:first], count=1) + f"（第{round_}稿）" + text[first:]
    path.write_text(text, encoding="utf-8")


# --- the report ----------------------------------------------------------------


# --- add -------------------------------------------------------------------


def policy_text(edition: Path) -> tuple[dict, list[str]]:
    """The front matter and paragraphs (markers as plain text) of the policy whose
    text is nearest 12 KB: what a 30 KB page with its chrome carries."""
    m = manifest(edition)
    files = [f for c in m.get("category", []) for f in c.get("policies", [])]
    chosen = min(files, key=lambda f: abs((edition / f).stat().st_size - 12_000))
    meta, body = split_front_matter((edition / chosen).read_text())
    # Another policy than the one in the edition, or `add` refuses it as a double.
    meta["title"] = meta.get("title", "") + "的补充通知"
    meta["number"] = "京测发〔2099〕1号"
    paras = [re.sub(r"^#+ ", "", p.strip()) for p in body.split("\n\n") if p.strip()]
    return meta, paras


def write_page(meta: dict, paras: list[str], dest: Path, size: int) -> None:
    """A 首都之窗-shaped page: site chrome, the doc-info list, the TRS body."""
    chrome = "".join(f'<li><a href="/x{i}.html">栏目{i}</a></li>' for i in range(40))
    body = "".join(f"<p>{p}</p>" for p in paras)
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{meta.get('title', '')}_政策文件_首都之窗_北京市人民政府门户网站</title>"
        "<script>var a=1;</script><style>.doc-info{color:red}</style></head><body>"
        f'<div class="nav"><ul>{chrome}</ul></div>'
        f'<div class="header"><h1><p>{meta.get("title", "")}</p></h1></div>'
        '<ol class="doc-info">'
        f"<li>[发文字号] <span>{meta.get('number', '')}</span></li>"
        f"<li>[发文机构] <span>{meta.get('issuer', '')}</span></li>"
        f"<li>[成文日期] <span>{meta.get('date', '')}</span></li></ol>"
        '<div class="mainTextBox"><div id="mainText"><div class="view TRS_UEDITOR trs_word">'
        f"{body}</div></div></div>"
    )
    footer = '<div class="footer">网站标识码1100000088 京ICP备05060933号</div></body></html>'
    # Grow the chrome (not the article) to the size real pages have.
    pad = ""
    while len((page + pad + footer).encode()) < size:
        pad += f'<div class="related"><a href="/r.html">相关链接{len(pad)}</a></div>'
    (dest / "page.html").write_text(page + pad + footer)


def write_docx(meta: dict, paras: list[str], dest: Path, size: int) -> None:
    """A Word file: red header, the body with 一、 as automatic numbering, and an
    embedded image that brings it to the size of a real one."""
    import zipfile

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    r = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

    def p(text: str, num: bool = False) -> str:
        ppr = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>' if num else ""
        return f"<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"

    out = [p("北京市人民政府文件"), p(meta.get("number", "")), p(meta.get("title", ""))]
    for para in paras:
        m = re.match(r"^[一二三四五六七八九十]+、", para)
        out.append(p(para[m.end():], True) if m else p(para))
    out += [p(meta.get("issuer", "")), p("2021年11月5日")]
    doc = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w} {r}><w:body>{"".join(out)}</w:body></w:document>'
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {w}>'
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rng = random.Random(7)
    with zipfile.ZipFile(dest / "policy.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/_rels/document.xml.rels", doc_rels)
        z.writestr("word/document.xml", doc)
        z.writestr("word/numbering.xml", numbering)
        # Fonts and themes make up most of a real .docx: incompressible filler.
        used = sum(i.compress_size for i in z.infolist())
        z.writestr("word/media/filler.bin", bytes(rng.getrandbits(8) for _ in range(max(0, size - used))), zipfile.ZIP_STORED)


def write_intake(edition: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    meta, paras = policy_text(edition)
    write_page(meta, paras, dest, 30_000)
    write_docx(meta, paras, dest, 100_000)


def report(dirpath: Path) -> None:
    """Reads the figures the script left in DIR and prints the table; writes
    DIR/report.json. Each row is a measured command against its baseline."""
    rows = json.loads((dirpath / "rows.json").read_text())
    figures = {}
    for f in dirpath.glob("*.hyperfine.json"):
        for r in json.loads(f.read_text())["results"]:
            # Medians, not means: one run slowed by the machine moves a mean of
            # five by a fifth of its delay. The spread is min–max.
            figures[r["command"]] = {
                "median_ms": r["median"] * 1000,
                "spread": (r["min"] * 1000, r["max"] * 1000),
                "runs": len(r.get("times", [])),
            }
    for f in dirpath.glob("*.quick.json"):
        figures.update(json.loads(f.read_text()))
    for f in dirpath.glob("*.rss"):
        name = f.name[: -len(".rss")]
        # One line per run; GNU time writes "Command exited with non-zero status"
        # first when it did, so only the lines that are numbers count.
        kibs = sorted(int(x) for x in f.read_text().split() if x.isdigit())
        if kibs:
            fig = figures.setdefault(name, {})
            fig["peak_rss_mib"] = statistics.median(kibs) / 1024
            fig["rss_spread"] = (kibs[0] / 1024, kibs[-1] / 1024)
    for name in ("inprocess.json", "browser.json", "big-first.json", "big-again.json"):
        inproc = dirpath / name
        if inproc.exists():
            for label, ms in json.loads(inproc.read_text()).items():
                figures.setdefault(label, {})["median_ms"] = ms

    def value(name, key):
        return figures.get(name, {}).get(key)

    out = []
    print(f"{'measure':<44} {'value':>12} {'baseline':>12} {'ratio':>7} {'target':>8}  ok   spread (min–max)")
    for row in rows:
        key = row.get("key", "median_ms")
        unit = "MiB" if key == "peak_rss_mib" else "ms"
        v = value(row["name"], key)
        if row.get("plus") and v is not None:
            extra = value(row["plus"], key)
            v = v + extra if extra is not None else None
        b = value(row["baseline"], key) if row.get("baseline") else None
        scale = row.get("scale", 1)
        ratio = v / (b * scale) if v is not None and b else None
        target = row.get("target")
        limit = row.get("limit_ms", row.get("limit_mib"))
        if ratio is not None and target is not None:
            ok = ratio <= target
        elif v is not None and limit is not None:
            ok = v <= limit
        else:
            ok = None
        out.append({**row, "value": v, "baseline_value": b, "ratio": ratio, "ok": ok, "unit": unit})
        fmt = lambda x: "-" if x is None else f"{x:.1f} {unit}"
        tgt = f"≤{target}×" if target is not None else (f"≤{limit}{'MiB' if key == 'peak_rss_mib' else 'ms'}" if limit else "")
        if os.environ.get("BENCH_QUICK") == "1":
            ok = None  # one run of a debug build: figures to see, not to judge
        mark = {True: "yes", False: "NO", None: ""}[ok]
        spread_key = "rss_spread" if key == "peak_rss_mib" else "spread"
        spreads = [
            figures.get(n, {}).get(spread_key)
            for n in (row["name"], row.get("baseline"))
            if n
        ]
        spread = "  ".join(f"{lo:.0f}–{hi:.0f}" for lo, hi in (s for s in spreads if s))
        print(
            f"{row['label']:<44} {fmt(v):>12} {fmt(b * scale if b else None):>12} "
            f"{'-' if ratio is None else f'{ratio:.2f}×':>7} {tgt:>8}  {mark:<4} {spread}"
        )
    (dirpath / "report.json").write_text(
        json.dumps({"quick": os.environ.get("BENCH_QUICK") == "1", "rows": out, "figures": figures, "machine": machine()}, indent=2, ensure_ascii=False)
    )


def machine() -> dict:
    info = {"cores": os.cpu_count()}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["load"] = open("/proc/loadavg").read().split()[:3]
    except OSError:
        pass
    return info


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, a = argv[1], Path(argv[2])
    if cmd == "mdbook":
        write_mdbook(a, Path(argv[3]))
    elif cmd == "changed":
        write_changed(a, Path(argv[3]))
    elif cmd == "editions":
        for ed in write_editions(a, Path(argv[3]), int(argv[4])):
            print(ed)
    elif cmd == "big":
        write_big(a, int(argv[3]))
    elif cmd == "intake":
        write_intake(a, Path(argv[3]))
    elif cmd == "edit":
        edit(a, int(argv[3]))
    elif cmd == "report":
        report(a)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
