"""Reads an XLIFF 1.2 file with translate-toolkit (translate.storage.xliff),
as a computer-aided translation tool would, and writes it back.

    xliff_fill.py IN OUT            load and save, nothing changed
    xliff_fill.py IN OUT fill.json  put each unit's translation in its target

fill.json maps unit ids to the translated text, with each inline code
written as {N} (the N-th <x/>, <bx/> or <ex/> of the source, by its id). Each
unit's id, source text and inline codes are printed as JSON lines.
"""
import json
import sys

from translate.storage import xliff
from translate.storage.placeables import general, strelem, xliff as xliff_placeables


def codes(elem):
    """The inline codes of a rich source, in order, as (tag, id, equiv-text)."""
    out = []
    for sub in elem.flatten():
        if isinstance(sub, (xliff_placeables.X, xliff_placeables.Bx, xliff_placeables.Ex)):
            out.append((type(sub).__name__.lower(), sub.id, sub.xml_attrib.get("equiv-text", "")))
    return out


def target_elem(text, source):
    """A rich target: the translated words, and the source's codes in the places {N} marks."""
    by_id = {}
    for sub in source.flatten():
        if isinstance(sub, (xliff_placeables.X, xliff_placeables.Bx, xliff_placeables.Ex)):
            by_id[sub.id] = sub
    parts = []
    rest = text
    while rest:
        start = rest.find("{")
        end = rest.find("}", start)
        if start < 0 or end < 0 or not rest[start + 1:end].isdigit():
            parts.append(rest)
            break
        if start:
            parts.append(rest[:start])
        parts.append(by_id[rest[start + 1:end]].copy())
        rest = rest[end + 1:]
    return strelem.StringElem(parts)


def main():
    store = xliff.xlifffile.parsefile(sys.argv[1])
    fill = json.load(open(sys.argv[3], encoding="utf-8")) if len(sys.argv) > 3 else {}
    for unit in store.unit_iter():
        source = unit.rich_source[0]
        print(json.dumps({"id": unit.getid(), "source": str(source), "codes": codes(source)}, ensure_ascii=False))
        if unit.getid() in fill:
            unit.rich_target = [target_elem(fill[unit.getid()], source)]
    store.savefile(sys.argv[2])


if __name__ == "__main__":
    main()
