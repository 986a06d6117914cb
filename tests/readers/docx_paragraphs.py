#!/usr/bin/env python3
"""Reads a .docx with Python's zipfile and ElementTree (nothing Hemicycle
wrote) and prints each body paragraph as one line:

    <list format or -><TAB><start or -><TAB><left indent in twips or 0><TAB><text>

The indent is the paragraph's own, else its list level's. The list format is what Word shows before the paragraph: the w:numFmt of
the paragraph's numbering level (bullet, decimal, …), resolved through
word/numbering.xml (w:num → w:abstractNum, with level overrides); "?" if the
numbering is missing. Line breaks read as spaces; footnote references are
left out of the text. Footnotes follow as "note<TAB>id<TAB><TAB><text>"."""

import sys
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def numbering(z):
    try:
        root = ET.fromstring(z.read("word/numbering.xml"))
    except KeyError:
        return {}, {}
    abstract = {}
    ids = [a.get(W + "abstractNumId") for a in root.findall(W + "abstractNum")]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SystemExit("word/numbering.xml defines abstractNumId %s more than once" % sorted(dupes))
    for a in root.findall(W + "abstractNum"):
        levels = {}
        for lvl in a.findall(W + "lvl"):
            fmt = lvl.find(W + "numFmt")
            start = lvl.find(W + "start")
            ind = lvl.find(W + "pPr/" + W + "ind")
            levels[lvl.get(W + "ilvl")] = (
                fmt.get(W + "val") if fmt is not None else "decimal",
                start.get(W + "val") if start is not None else "1",
                (ind.get(W + "left") or ind.get(W + "start") or "0") if ind is not None else "0",
            )
        abstract[a.get(W + "abstractNumId")] = levels
    nums = {}
    for n in root.findall(W + "num"):
        ref = n.find(W + "abstractNumId").get(W + "val")
        overrides = {}
        for o in n.findall(W + "lvlOverride"):
            s = o.find(W + "startOverride")
            if s is not None:
                overrides[o.get(W + "ilvl")] = s.get(W + "val")
        nums[n.get(W + "numId")] = (ref, overrides)
    return abstract, nums


def text_of(p):
    out = []
    for el in p.iter():
        if el.tag == W + "t" and el.text:
            out.append(el.text)
        elif el.tag == W + "br" or el.tag == W + "tab":
            out.append(" ")
    return " ".join("".join(out).split())


def main():
    z = zipfile.ZipFile(sys.argv[1])
    abstract, nums = numbering(z)
    body = ET.fromstring(z.read("word/document.xml")).find(W + "body")
    for p in body.iter(W + "p"):
        fmt, start, indent = "-", "-", "0"
        ppr = p.find(W + "pPr")
        if ppr is not None:
            num = ppr.find(W + "numPr")
            if num is not None:
                num_id = num.find(W + "numId").get(W + "val")
                ilvl = num.find(W + "ilvl").get(W + "val")
                ref, overrides = nums.get(num_id, (None, {}))
                level = abstract.get(ref, {}).get(ilvl)
                if level is None:
                    fmt = "?"
                else:
                    fmt = level[0]
                    start = overrides.get(ilvl, level[1])
                    # The level's indent, unless the paragraph sets its own.
                    indent = level[2]
            ind = ppr.find(W + "ind")
            if ind is not None:
                indent = ind.get(W + "left") or ind.get(W + "start") or "0"
        text = text_of(p)
        if text:
            print("%s\t%s\t%s\t%s" % (fmt, start, indent, text))
    try:
        notes = ET.fromstring(z.read("word/footnotes.xml"))
    except KeyError:
        return
    for n in notes.findall(W + "footnote"):
        if n.get(W + "type") in ("separator", "continuationSeparator"):
            continue
        print("note\t%s\t\t%s" % (n.get(W + "id"), text_of(n)))


if __name__ == "__main__":
    main()
