// The editor's desk. Plain script, no framework: the API under /__desk/api/ does the
// work (it checks, formats, writes and keeps history); this page shows and asks.
(function () {
  "use strict";

  // The token arrives once in the URL the command printed; it is kept for this tab
  // only and taken out of the address bar (and so out of the browser's history).
  var params = new URLSearchParams(location.search);
  if (params.get("token")) {
    sessionStorage.setItem("huibian-token", params.get("token"));
    history.replaceState(null, "", location.pathname);
  }
  var token = sessionStorage.getItem("huibian-token") || "";

  var $ = function (id) { return document.getElementById(id); };
  var state = { edition: null, file: null, dirty: false, missing: [] };
  var LIST_FIELDS = ["issuer", "repeals", "repealed_by"];
  var TEXT_FIELDS = ["title", "number", "date", "effective", "expires", "status"];

  function setStatus(text, bad) {
    $("status").textContent = text;
    $("status").className = bad ? "bad" : "";
  }

  function api(method, route, body, raw) {
    var options = { method: method, headers: { "X-Huibian-Token": token } };
    if (body !== undefined) {
      options.body = raw ? body : JSON.stringify(body);
      options.headers["Content-Type"] = raw ? "application/octet-stream" : "application/json";
    }
    return fetch("/__desk/api/" + route, options).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        if (!r.ok) throw { status: r.status, error: "HTTP " + r.status };
        return r.blob().then(function (blob) { return { blob: blob, response: r }; });
      }
      return r.json().then(function (data) {
        if (!r.ok) { data.status = r.status; throw data; }
        return data;
      });
    });
  }

  function failed(err) {
    setStatus((err && err.error) || String(err), true);
    if (err && err.status === 403) showDialog("无法使用编辑台", err.error, "");
  }

  // ---- Dialog ---------------------------------------------------------------------

  function showDialog(title, text, diff, onOk, okLabel) {
    $("dialog-title").textContent = title;
    $("dialog-text").textContent = text || "";
    renderDiff($("dialog-diff"), diff || "");
    $("dialog-ok").textContent = okLabel || "确定";
    $("dialog-cancel").hidden = !onOk;
    $("dialog-ok").onclick = function () { $("dialog").close(); if (onOk) onOk(); };
    $("dialog-cancel").onclick = function () { $("dialog").close(); };
    if (!$("dialog").open) $("dialog").showModal();
  }

  function renderDiff(el, diff) {
    el.textContent = "";
    diff.split("\n").forEach(function (line) {
      if (!line) return;
      var span = document.createElement("span");
      if (line[0] === "+" && line.indexOf("+++") !== 0) span.className = "diff-add";
      if (line[0] === "-" && line.indexOf("---") !== 0) span.className = "diff-del";
      span.textContent = line + "\n";
      el.appendChild(span);
    });
  }

  // ---- The edition ----------------------------------------------------------------

  function badges(counts) {
    var out = document.createDocumentFragment();
    if (!counts) return out;
    [["errors", "e", "错误"], ["warnings", "w", "警告"]].forEach(function (k) {
      if (counts[k[0]] > 0) {
        var b = document.createElement("span");
        b.className = "badge " + k[1];
        b.textContent = counts[k[0]];
        b.title = counts[k[0]] + " 个" + k[2];
        out.appendChild(b);
      }
    });
    return out;
  }

  function loadEdition() {
    return api("GET", "edition").then(function (ed) {
      state.edition = ed;
      renderEdition(ed);
      return ed;
    }).catch(failed);
  }

  function renderEdition(ed) {
    $("edition-title").textContent = (ed.title || ed.id) + (ed.subtitle ? "（" + ed.subtitle + "）" : "");
    document.title = "编辑台 · " + (ed.title || ed.id);
    var counts = $("edition-counts");
    counts.textContent = "";
    counts.appendChild(badges(ed.findings));
    $("download-pdf").disabled = !ed.built;
    $("download-site").disabled = !ed.built;
    // With errors in the sources, what is there to download is the last good build.
    var stale = ed.findings && ed.findings.errors > 0;
    $("download-pdf").title = stale ? "上次成功构建的版本（当前的修改有错误，尚未构建）" : "本期 PDF";
    $("download-site").title = stale ? "上次成功构建的版本（当前的修改有错误，尚未构建）" : "本期网站";
    var intro = $("intro-slot");
    intro.textContent = "";
    if (ed.intro) intro.appendChild(fileButton("引言", ed.intro.path, ed.intro.findings));
    var list = $("categories");
    list.textContent = "";
    var move = $("move-to");
    move.textContent = "";
    var placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = "移到类别…";
    move.appendChild(placeholder);
    ed.categories.forEach(function (c) {
      var li = document.createElement("li");
      li.className = "category";
      li.dataset.index = c.index;
      var head = document.createElement("div");
      head.className = "category-head";
      var title = document.createElement("span");
      title.className = "title";
      title.textContent = (c.index + 1) + ". " + c.title;
      head.appendChild(title);
      var rename = document.createElement("button");
      rename.type = "button";
      rename.textContent = "改名";
      rename.onclick = function () { renameCategory(c); };
      head.appendChild(rename);
      if (!c.body && c.policies.length === 0) {
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "删除";
        remove.onclick = function () { arrange({ op: "remove_category", category: c.index }, "已删除类别"); };
        head.appendChild(remove);
      }
      li.appendChild(head);
      if (c.body) li.appendChild(fileButton("（类别正文）", c.body.path, c.body.findings));
      var ol = document.createElement("ol");
      c.policies.forEach(function (p, i) { ol.appendChild(policyItem(p, c.index, i)); });
      li.appendChild(ol);
      dropZone(li, c.index, c.policies.length);
      list.appendChild(li);
      if (!c.body) {
        var option = document.createElement("option");
        option.value = c.index;
        option.textContent = (c.index + 1) + ". " + c.title;
        move.appendChild(option);
      }
    });
    var general = $("general");
    general.textContent = "";
    (ed.general || []).forEach(function (f) {
      var p = document.createElement("p");
      p.className = "problem";
      p.textContent = f.message;
      general.appendChild(p);
    });
    markCurrent();
    updateLinks();
  }

  function fileButton(label, path, counts) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "file-link";
    b.dataset.path = path;
    b.textContent = label;
    b.appendChild(badges(counts));
    b.onclick = function () { openFile(path); };
    return b;
  }

  function policyItem(p, category, position) {
    var li = document.createElement("li");
    li.className = "policy";
    li.draggable = true;
    li.dataset.path = p.path;
    li.dataset.category = category;
    li.dataset.position = position;
    var title = document.createElement("span");
    title.className = "title";
    title.textContent = p.title;
    li.appendChild(title);
    li.appendChild(badges(p.findings));
    var page = document.createElement("span");
    page.className = "page";
    page.textContent = p.page_label ? "第" + p.page_label + "页" : "";
    li.appendChild(page);
    li.onclick = function () { openFile(p.path); };
    li.tabIndex = 0;
    li.setAttribute("role", "button");
    li.addEventListener("keydown", function (e) { if (e.key === "Enter") openFile(p.path); });
    li.addEventListener("dragstart", function (e) {
      e.dataTransfer.setData("application/x-huibian-policy", p.path);
      e.dataTransfer.effectAllowed = "move";
    });
    li.addEventListener("dragover", function (e) {
      if (e.dataTransfer.types.indexOf("application/x-huibian-policy") < 0) return;
      e.preventDefault();
      li.classList.add("before");
    });
    li.addEventListener("dragleave", function () { li.classList.remove("before"); });
    li.addEventListener("drop", function (e) {
      li.classList.remove("before");
      var path = e.dataTransfer.getData("application/x-huibian-policy");
      if (!path) return;
      e.preventDefault();
      e.stopPropagation();
      movePolicy(path, category, position);
    });
    return li;
  }

  // A category takes a policy dragged onto it (at its end) and files dropped from
  // the computer (each added through `add`).
  function dropZone(el, index, count) {
    el.addEventListener("dragover", function (e) {
      e.preventDefault();
      el.classList.add("drop");
    });
    el.addEventListener("dragleave", function (e) {
      if (!el.contains(e.relatedTarget)) el.classList.remove("drop");
    });
    el.addEventListener("drop", function (e) {
      e.preventDefault();
      el.classList.remove("drop");
      var path = e.dataTransfer.getData("application/x-huibian-policy");
      if (path) { movePolicy(path, index, count); return; }
      var files = Array.prototype.slice.call(e.dataTransfer.files || []);
      if (files.length) addFiles(index, files);
    });
  }

  function movePolicy(path, to, position) {
    // Within its own category, a policy dropped below itself lands one place up.
    var item = document.querySelector('.policy[data-path="' + CSS.escape(path) + '"]');
    if (item && Number(item.dataset.category) === to && Number(item.dataset.position) < position) position -= 1;
    arrange({ op: "move", path: path, to: to, position: position }, "已移动");
  }

  function arrange(edit, done) {
    if (!state.edition) return Promise.resolve();
    return api("POST", "arrange", { edit: edit, version: state.edition.manifest.version })
      .then(function () { setStatus(done + "；正在重新生成目录…"); return loadEdition(); })
      .catch(function (err) { failed(err); loadEdition(); });
  }

  function renameCategory(c) {
    var title = prompt("类别的新名称", c.title);
    if (title && title.trim() && title !== c.title) arrange({ op: "rename", category: c.index, title: title }, "已改名");
  }

  function addFiles(index, files) {
    var added = [];
    var status = "";
    var next = function () {
      var file = files.shift();
      if (!file) {
        loadEdition().then(function () {
          // The form opens on the first one, keeping what was said of the adding
          // (which fields to fill in).
          if (added.length) openFile(added[0].file, added[0].missing, status);
        });
        return;
      }
      setStatus("正在添加 " + file.name + " …");
      file.arrayBuffer().then(function (bytes) {
        return api("POST", "add?category=" + index + "&name=" + encodeURIComponent(file.name), bytes, true);
      }).then(function (result) {
        result.added.forEach(function (a) { added.push(a); });
        var missing = result.added.reduce(function (n, a) { return n + a.missing.length; }, 0);
        status = "已添加 " + file.name + (missing ? "；请补全标红的字段" : "");
        setStatus(status);
      }).catch(function (err) {
        var findings = (err.detail && err.detail.findings) || [];
        showDialog("无法添加 " + file.name, err.error,
          findings.map(function (f) { return f.severity + ": " + f.message; }).join("\n"));
      }).then(next);
    };
    next();
  }

  // ---- One file ------------------------------------------------------------------

  function confirmLeave(go) {
    if (!state.dirty) { go(); return; }
    showDialog("有未保存的修改", "放弃对 " + state.file.path + " 的修改？", "", go, "放弃修改");
  }

  function openFile(path, missing, status) {
    confirmLeave(function () {
      api("GET", "file?path=" + encodeURIComponent(path)).then(function (f) {
        state.missing = missing || [];
        showFile(f);
        if (status) setStatus(status);
      }).catch(failed);
    });
  }

  function policyOf(path) {
    var found = null;
    (state.edition ? state.edition.categories : []).forEach(function (c) {
      c.policies.forEach(function (p) { if (p.path === path) found = p; });
    });
    return found;
  }

  function showFile(f) {
    state.file = f;
    state.dirty = false;
    $("editor").hidden = false;
    $("edition-form").hidden = true;
    $("welcome").hidden = true;
    var policy = policyOf(f.path);
    $("editor-title").textContent = f.fields ? f.fields.title : (f.kind === "manifest" ? "edition.toml" : (f.title || f.path));
    $("editor-path").textContent = f.path;
    var form = $("fields");
    form.hidden = !f.fields;
    if (f.fields) {
      TEXT_FIELDS.forEach(function (k) { form.elements[k].value = f.fields[k] || ""; });
      LIST_FIELDS.forEach(function (k) { form.elements[k].value = (f.fields[k] || []).join("\n"); });
      form.elements.excerpt.checked = !!f.fields.excerpt;
      TEXT_FIELDS.concat(LIST_FIELDS).forEach(function (k) {
        var value = form.elements[k].value;
        var missing = state.missing.indexOf(k) >= 0 || value.indexOf("待核") >= 0;
        form.elements[k].classList.toggle("missing", missing);
      });
      $("validity").open = ["effective", "expires", "status"].some(function (k) { return f.fields[k]; })
        || f.fields.repeals.length > 0 || f.fields.repealed_by.length > 0;
    }
    // A header the form cannot read is edited as text, where its finding points.
    var raw = f.kind === "policy" && !f.fields && f.header !== null;
    $("header-raw").hidden = !raw;
    if (raw) {
      $("header-error").textContent = f.header_error ? "文件头无法读取，请以文本修改：" + f.header_error : "";
      $("header-text").value = f.header;
    }
    $("text-title").hidden = f.kind !== "text";
    $("text-title-input").value = f.title || "";
    $("body").value = f.body;
    var isPolicy = f.kind === "policy";
    ["tidy", "renumber", "remove", "move-to", "raw-header"].forEach(function (id) { $(id).hidden = !isPolicy && !(f.kind === "text" && id === "tidy"); });
    // The header as text: for what a policy's form does not show, and for the title
    // of an 引言 or a category's text.
    $("raw-header").hidden = !(f.fields || f.kind === "text");
    $("move-to").value = "";
    updateLinks();
    showFindings(f.findings, f.first_body_line);
    markCurrent();
    setStatus("");
  }

  // The preview and the PDF page of the open policy, as the last build placed it.
  function updateLinks() {
    var f = state.file;
    var policy = f && policyOf(f.path);
    var html = policy && policy.html;
    $("preview-link").hidden = !html;
    if (html) { $("preview-link").href = html; if ($("preview").getAttribute("src") !== html) $("preview").src = html; }
    var built = state.edition && state.edition.built;
    var page = built && policy && policy.page;
    $("pdf-link").hidden = !page;
    if (page) $("pdf-link").href = built.pdf + "#page=" + page;
  }

  // The preview back at the edition's first page, which every build has.
  function leavePreview() {
    if ($("preview").getAttribute("src") !== "/") $("preview").src = "/";
  }

  function markCurrent() {
    document.querySelectorAll("[data-path]").forEach(function (el) {
      el.classList.toggle("current", !!state.file && el.dataset.path === state.file.path);
    });
  }

  function collectFields() {
    var form = $("fields");
    var fields = {};
    TEXT_FIELDS.forEach(function (k) { fields[k] = form.elements[k].value; });
    LIST_FIELDS.forEach(function (k) {
      fields[k] = form.elements[k].value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
    });
    fields.excerpt = form.elements.excerpt.checked;
    return fields;
  }

  function edited() {
    var f = state.file;
    var out = { path: f.path, version: f.version, body: $("body").value };
    if (f.kind === "policy") {
      if (f.fields) out.fields = collectFields();
      else if (f.header !== null) out.header = $("header-text").value;
    } else if (f.kind === "text" && !$("header-raw").hidden) {
      out.header = $("header-text").value;
    }
    return out;
  }

  function save() {
    if (!state.file) return;
    setStatus("正在保存…");
    api("POST", "save", edited()).then(function (result) {
      var f = result.file;
      state.missing = [];
      showFile(f);
      var errors = f.findings.filter(function (x) { return x.severity === "error"; }).length;
      setStatus((result.saved ? "已保存" : "没有修改") + (errors ? "；有 " + errors + " 个错误，预览保持上一版" : "；预览随后更新"), errors > 0);
      loadEdition();
    }).catch(function (err) {
      if (err.status === 409 && err.detail) {
        setStatus("未保存：文件已被别处修改", true);
        showDialog("文件已被别处修改，未保存", err.error, err.detail.diff, function () {
          state.dirty = false;
          openFile(state.file.path);
        }, "载入磁盘上的版本");
      } else {
        failed(err);
      }
    });
  }

  function check() {
    if (!state.file) return;
    api("POST", "check", edited()).then(function (result) {
      showFindings(result.findings, result.first_body_line);
      setStatus(result.findings.length ? "检查完成：见下方" : "检查完成：没有问题");
    }).catch(failed);
  }

  function tidy(renumber) {
    if (!state.file) return;
    var request = edited();
    request.renumber = renumber;
    api("POST", "fmt", request).then(function (result) {
      if (!result.changed) {
        setStatus(renumber && result.renumber_skipped ? "未重新编号：" + result.renumber_skipped : "格式已规范，无需修改");
        return;
      }
      var what = renumber ? "重新编号" : "规范格式";
      var text = renumber && result.renumbered.length
        ? result.renumbered.map(function (r) { return "第" + r.line + "行：" + r.old + " → " + r.new; }).join("；")
        : "以下是将要做的修改。确认后保存。";
      showDialog(what, text, result.diff, function () {
        if (result.fields && state.file.fields) state.file.fields = result.fields;
        else if (result.header !== null) state.file.header = result.header;
        var version = state.file.version;
        showFile(Object.assign({}, state.file, {
          body: result.body, first_body_line: result.first_body_line, version: version, findings: []
        }));
        save();
      }, "确认并保存");
    }).catch(failed);
  }

  // ---- Findings and the gutter --------------------------------------------------------

  function showFindings(findings, firstLine) {
    state.findings = findings || [];
    state.firstLine = firstLine || 1;
    var list = $("findings");
    list.textContent = "";
    state.findings.forEach(function (f) {
      var li = document.createElement("li");
      li.className = f.severity;
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = f.line ? "第" + f.line + "行" + (f.column ? "第" + f.column + "列" : "") : "";
      li.appendChild(where);
      li.appendChild(document.createTextNode(f.message));
      (f.hints || []).forEach(function (h) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = "提示：" + h;
        li.appendChild(hint);
      });
      li.onclick = function () { goToLine(f.line); };
      list.appendChild(li);
    });
    renderGutter();
  }

  function goToLine(line) {
    if (!line) return;
    var index = line - state.firstLine;
    if (index < 0) {
      // In the header: the form's field, or the header's text.
      var target = $("header-raw").hidden ? $("fields").querySelector("input,textarea") : $("header-text");
      if (target) target.focus();
      return;
    }
    var area = $("body");
    var lines = area.value.split("\n");
    var start = 0;
    for (var i = 0; i < index && i < lines.length; i++) start += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(start, start + (lines[index] || "").length);
    var mark = $("gutter").children[index];
    if (mark) area.scrollTop = mark.offsetTop - 40;
  }

  // One number per line of the file, as tall as the line wraps in the textarea, so
  // the numbers stay beside their lines; a line with a finding is marked.
  function renderGutter() {
    var area = $("body");
    var gutter = $("gutter");
    var measure = $("measure");
    measure.style.width = area.clientWidth + "px";
    var lines = area.value.split("\n");
    var marks = {};
    (state.findings || []).forEach(function (f) {
      if (!f.line) return;
      var i = f.line - (state.firstLine || 1);
      if (marks[i] !== "error") marks[i] = f.severity;
      if (!marks[i + "t"]) marks[i + "t"] = [];
      marks[i + "t"].push(f.message);
    });
    measure.textContent = "";
    var probes = lines.map(function (line) {
      var div = document.createElement("div");
      div.textContent = line || " ";
      measure.appendChild(div);
      return div;
    });
    gutter.textContent = "";
    probes.forEach(function (probe, i) {
      var n = document.createElement("div");
      n.textContent = (state.firstLine || 1) + i;
      n.style.height = probe.offsetHeight + "px";
      if (marks[i]) {
        n.className = marks[i];
        n.title = marks[i + "t"].join("\n");
      }
      gutter.appendChild(n);
    });
    measure.textContent = "";
    gutter.scrollTop = area.scrollTop;
  }

  // ---- Edition fields --------------------------------------------------------------

  function openEditionForm() {
    confirmLeave(function () {
      state.file = null;
      state.dirty = false;
      $("editor").hidden = true;
      $("welcome").hidden = true;
      $("edition-form").hidden = false;
      var ed = state.edition;
      var form = $("meta");
      form.elements.title.value = ed.title;
      form.elements.subtitle.value = ed.subtitle;
      form.elements.period_start.value = ed.period[0];
      form.elements.period_end.value = ed.period[1];
      markCurrent();
    });
  }

  function saveMeta(e) {
    e.preventDefault();
    var ed = state.edition;
    var form = $("meta");
    var was = { title: ed.title, subtitle: ed.subtitle, period_start: ed.period[0], period_end: ed.period[1] };
    var keys = Object.keys(was).filter(function (k) { return form.elements[k].value.trim() !== was[k]; });
    var chain = Promise.resolve();
    keys.forEach(function (k) {
      chain = chain.then(function () {
        return api("POST", "arrange", { edit: { op: "meta", key: k, value: form.elements[k].value }, version: state.edition.manifest.version })
          .then(loadEdition);
      });
    });
    chain.then(function () { setStatus(keys.length ? "已保存版本信息" : "没有修改"); }).catch(failed);
  }

  // ---- Wiring -----------------------------------------------------------------------

  function download(route) {
    setStatus("正在准备下载…");
    api("GET", route).then(function (got) {
      var disposition = got.response.headers.get("Content-Disposition") || "";
      var name = decodeURIComponent((disposition.match(/filename\*=UTF-8''([^;]+)/) || [])[1] || route);
      var a = document.createElement("a");
      a.href = URL.createObjectURL(got.blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setStatus("已下载 " + name);
    }).catch(failed);
  }

  // The header as YAML text, for what the form does not show (`id`, `source`, …).
  $("raw-header").onclick = function () {
    var f = state.file;
    if (!f || (!f.fields && f.kind !== "text")) return;
    f.fields = null;
    if (f.header === null) f.header = "";
    $("fields").hidden = true;
    $("raw-header").hidden = true;
    $("header-raw").hidden = false;
    $("header-error").textContent = "";
    $("header-text").value = f.header || "";
  };
  $("save").onclick = save;
  $("check").onclick = check;
  $("tidy").onclick = function () { tidy(false); };
  $("renumber").onclick = function () { tidy(true); };
  $("remove").onclick = function () {
    var f = state.file;
    showDialog("删除政策", "从本期删除 " + f.path + "？文件会保留在历史中，可以撤销。", "", function () {
      // Its page goes with the next build: the preview leaves it first, as a page
      // that vanishes under it would answer its reload with 404.
      leavePreview();
      api("POST", "remove", { path: f.path, version: state.edition.manifest.version }).then(function () {
        state.file = null;
        state.dirty = false;
        $("editor").hidden = true;
        $("welcome").hidden = false;
        setStatus("已删除 " + f.path + "（可撤销）");
        loadEdition();
      }).catch(failed);
    }, "删除");
  };
  $("move-to").onchange = function () {
    var to = $("move-to").value;
    if (to === "" || !state.file) return;
    var target = state.edition.categories[Number(to)];
    arrange({ op: "move", path: state.file.path, to: Number(to), position: target.policies.length }, "已移动");
  };
  $("undo").onclick = function () {
    api("POST", "undo").then(function (result) {
      setStatus("已撤销：" + result.undone.action);
      var path = state.file && state.file.path;
      state.dirty = false;
      loadEdition().then(function (ed) {
        // The open file may be what the undo took away.
        var listed = ed && (path === "edition.toml" || (ed.intro && ed.intro.path === path) || ed.categories.some(function (c) {
          return (c.body && c.body.path === path) || c.policies.some(function (p) { return p.path === path; });
        }));
        if (path && listed) { openFile(path); return; }
        leavePreview();
        state.file = null;
        $("editor").hidden = true;
        $("welcome").hidden = false;
        markCurrent();
      });
    }).catch(failed);
  };
  $("show-history").onclick = function () {
    api("GET", "history").then(function (h) {
      var text = h.changes.map(function (c) {
        return new Date(c.at_ms).toLocaleString("zh-CN") + "  " + c.action;
      }).join("\n");
      showDialog("修改历史（最近的在前）", h.changes.length ? "" : "还没有修改。", text);
    }).catch(failed);
  };
  $("download-pdf").onclick = function () { download("pdf"); };
  $("download-site").onclick = function () { download("site.zip"); };
  $("open-edition").onclick = openEditionForm;
  $("open-manifest").onclick = function () { openFile("edition.toml"); };
  $("meta").addEventListener("submit", saveMeta);
  $("new-category").addEventListener("submit", function (e) {
    e.preventDefault();
    var title = $("new-category-title").value.trim();
    if (!title) return;
    arrange({ op: "add_category", title: title }, "已新增类别").then(function () { $("new-category-title").value = ""; });
  });
  ["body", "header-text"].forEach(function (id) {
    $(id).addEventListener("input", function () { state.dirty = true; if (id === "body") renderGutter(); });
  });
  $("fields").addEventListener("input", function () { state.dirty = true; });
  $("body").addEventListener("scroll", function () { $("gutter").scrollTop = $("body").scrollTop; });
  window.addEventListener("resize", renderGutter);
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(); }
  });
  window.addEventListener("beforeunload", function (e) { if (state.dirty) { e.preventDefault(); e.returnValue = ""; } });
  // Outside a category, a dropped file would be opened by the browser instead.
  window.addEventListener("dragover", function (e) { e.preventDefault(); });
  window.addEventListener("drop", function (e) { e.preventDefault(); });

  // Each finished build moves page numbers: the outline follows.
  new EventSource("/__events").addEventListener("reload", function () { loadEdition(); });

  window.huibianDesk = { state: state, openFile: openFile, loadEdition: loadEdition };
  loadEdition();
})();
