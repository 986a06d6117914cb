#!/usr/bin/env python3
"""Reads an HTML file with Python's own parser (html.parser) and prints each
piece of text with the elements it sits in, one line each:

    html/body/ol[start=3]/li<TAB>Numberedthree item

Used by tests/constructs.rs to check the structure a browser would see,
with a parser Hemicycle did not write."""

import sys
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "link", "input", "wbr", "col", "area", "base", "source"}
# Elements a browser closes when the next one of these starts or its parent ends.
AUTO_CLOSE = {"p", "li"}


class Paths(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.lines = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag == "br":
                self.lines.append(("/".join(self.stack), "<br>"))
            return
        name = tag
        a = dict(attrs)
        if tag == "ol" and "start" in a:
            name += "[start=%s]" % a["start"]
        if tag == "a" and "href" in a:
            name += "[href=%s]" % a["href"]
        self.stack.append(name)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].split("[")[0] == tag:
                del self.stack[i:]
                return
        raise SystemExit("unbalanced </%s> at line %d" % (tag, self.getpos()[0]))

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and self.stack and self.stack[-1] not in ("style", "title"):
            self.lines.append(("/".join(self.stack), text))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        parser = Paths()
        parser.feed(f.read())
        parser.close()
    if parser.stack:
        raise SystemExit("unclosed elements at the end: %s" % "/".join(parser.stack))
    for path, text in parser.lines:
        print("%s\t%s" % (path, text))


if __name__ == "__main__":
    main()
