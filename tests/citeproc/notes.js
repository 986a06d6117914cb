// The reference notes: citeproc-js (the CSL processor Zotero uses) formats
// a sequence of citations the way tests/citeproc.rs asks, and prints one
// note per line as JSON.
//
// stdin: {"items": [CSL-JSON items], "citations": [[{id, locator, label,
//         prefix, suffix, written}]], "style": "<style …>", "locales":
//         {"en-GB": "<locale …>"}, "lang": "en-GB"}
// stdout: {"version": "2.4.63", "class": "note", "notes": ["…", …]}
//
// For a note style each citation is its own note (noteIndex 1, 2, …). For
// an in-text style Hemicycle's note is each item's bibliography entry
// without its final full stop, the locator as written after a comma (its
// `written`, which includes any suffix),
// joined by "; " and ended by a full stop; the same is built here from
// citeproc-js's bibliography.
//
// NODE_PATH (or a node_modules folder above this file) must hold the npm
// package `citeproc`; scripts/check.sh installs it.
"use strict";

const CSL = require("citeproc");

function readStdin() {
  const chunks = [];
  const fd = 0;
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n;
    try {
      n = require("fs").readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code === "EAGAIN") continue;
      if (e.code === "EOF") break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function engineFor(input) {
  const byId = new Map(input.items.map((i) => [String(i.id), i]));
  const sys = {
    retrieveLocale: (lang) => input.locales[lang] || input.locales[input.lang],
    retrieveItem: (id) => byId.get(String(id)),
  };
  const engine = new CSL.Engine(sys, input.style, input.lang, true);
  engine.setOutputFormat("text");
  return engine;
}

function cslItem(c) {
  const out = { id: c.id };
  for (const k of ["locator", "label", "prefix", "suffix"]) {
    if (c[k] !== undefined && c[k] !== null) out[k] = c[k];
  }
  return out;
}

function noteStyle(engine, citations) {
  const cites = citations.map((items, i) => ({
    citationID: "c" + (i + 1),
    citationItems: items.map(cslItem),
    properties: { noteIndex: i + 1 },
  }));
  const rebuilt = engine.rebuildProcessorState(cites, "text", []);
  const byId = new Map(rebuilt.map(([id, , text]) => [id, text]));
  return cites.map((c) => byId.get(c.citationID));
}

function inTextStyle(engine, citations) {
  const ids = [...new Set(citations.flat().map((c) => c.id))];
  engine.updateItems(ids);
  const [params, entries] = engine.makeBibliography();
  // A numbered style's number ("[1] ") is left out: a footnote has none.
  const unnumbered = (text) => (params["second-field-align"] ? text.replace(/^\S+\s+/, "") : text);
  const entry = new Map(params.entry_ids.map((id, i) => [String(id[0] ?? id), unnumbered(entries[i].trim())]));
  return citations.map((items) =>
    items
      .map((c) => {
        let text = (entry.get(String(c.id)) || "").replace(/\.$/, "");
        if (c.prefix) text = c.prefix + " " + text;
        if (c.written) text += ", " + c.written;
        return text;
      })
      .join("; ") + ".",
  );
}

const input = JSON.parse(readStdin());
const engine = engineFor(input);
const cls = engine.opt.class;
const notes = cls === "note" ? noteStyle(engine, input.citations) : inTextStyle(engine, input.citations);
process.stdout.write(JSON.stringify({ version: require("citeproc/package.json").version, class: cls, notes }) + "\n");
