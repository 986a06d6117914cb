//! Quotation marks and apostrophes written in a field's text, read as
//! citeproc-js reads them: a pair of quotation marks (straight or curly,
//! double or single) becomes the style's quotes, alternating with the quotes
//! around it (flip-flop), and an apostrophe becomes typographic (’).

/// A piece of a field's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    /// Opening quotation marks, to be rendered with the locale's terms.
    Open,
    /// Closing quotation marks.
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Double,
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open(Kind),
    Close(Kind),
    Apostrophe,
    /// Written as it is.
    Literal,
}

/// Whether the text holds a character that may be a quotation mark or an
/// apostrophe (the fast path: most fields hold none).
pub(crate) fn has_marks(s: &str) -> bool {
    s.contains(['"', '\'', '“', '”', '‘', '’'])
}

/// Whether a quotation mark after `c` opens (a space, an opening bracket or
/// a dash before it, or the start of the text).
fn opens_after(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "([{-–—/".contains(c))
}

fn classify(
    prev: Option<char>,
    c: char,
    next: Option<char>,
    curly_as_written: bool,
) -> Option<Mark> {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let blank_next = next.is_none_or(char::is_whitespace);
    Some(match c {
        '“' | '”' | '‘' if curly_as_written => Mark::Literal,
        '’' if curly_as_written => Mark::Literal,
        '“' => Mark::Open(Kind::Double),
        '”' => Mark::Close(Kind::Double),
        '‘' => Mark::Open(Kind::Single),
        '\'' | '’' if alnum(prev) && alnum(next) => Mark::Apostrophe,
        '’' => Mark::Close(Kind::Single),
        '"' if opens_after(prev) && !blank_next => Mark::Open(Kind::Double),
        // A closing mark follows the quoted text, not a space.
        '"' if prev.is_none_or(char::is_whitespace) => Mark::Literal,
        '"' => Mark::Close(Kind::Double),
        '\'' if opens_after(prev) && !blank_next => Mark::Open(Kind::Single),
        '\'' if !opens_after(prev) => Mark::Close(Kind::Single),
        '\'' => Mark::Apostrophe,
        _ => return None,
    })
}

/// The marks of the text, by byte index, paired: a closing mark without
/// its opening one (or the reverse) is an apostrophe if single, and written
/// as it is if double.
fn marks(s: &str, curly_as_written: bool) -> Vec<(usize, char, Mark)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out: Vec<(usize, char, Mark)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (n, &(i, c)) in chars.iter().enumerate() {
        let prev = n.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(n + 1).map(|&(_, c)| c);
        let Some(mark) = classify(prev, c, next, curly_as_written) else { continue };
        if let Mark::Close(kind) = mark {
            let top = open.last().map(|&o| out[o].2);
            if top == Some(Mark::Open(kind)) {
                open.pop();
            } else {
                out.push((i, c, unpaired(kind)));
                continue;
            }
        } else if let Mark::Open(_) = mark {
            open.push(out.len());
        }
        out.push((i, c, mark));
    }
    for o in open {
        if let Mark::Open(kind) = out[o].2 {
            out[o].2 = unpaired(kind);
        }
    }
    out
}

fn unpaired(kind: Kind) -> Mark {
    match kind {
        Kind::Single => Mark::Apostrophe,
        Kind::Double => Mark::Literal,
    }
}

/// The text split at its paired quotation marks, apostrophes made
/// typographic. With `curly_as_written`, curly marks are text.
pub(crate) fn pieces(s: &str, curly_as_written: bool) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut last = 0;
    for (i, c, mark) in marks(s, curly_as_written) {
        text.push_str(&s[last..i]);
        last = i + c.len_utf8();
        match mark {
            Mark::Apostrophe => text.push('’'),
            Mark::Literal => text.push(c),
            Mark::Open(_) | Mark::Close(_) => {
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(if matches!(mark, Mark::Open(_)) {
                    Piece::Open
                } else {
                    Piece::Close
                });
            }
        }
    }
    text.push_str(&s[last..]);
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// The text with each straight apostrophe between two letters or digits
/// made typographic ("Shun'ichi" → "Shun’ichi").
pub(crate) fn apostrophes(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 2);
    for (n, &c) in chars.iter().enumerate() {
        let around = n > 0
            && chars[n - 1].is_alphanumeric()
            && chars.get(n + 1).is_some_and(|c| c.is_alphanumeric());
        out.push(if c == '\'' && around { '’' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        pieces(s, false)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Open => "<".into(),
                Piece::Close => ">".into(),
            })
            .collect()
    }

    #[test]
    fn pairs_and_apostrophes() {
        assert_eq!(show("My “Amazing” Title"), "My <Amazing> Title");
        assert_eq!(
            show("'Nobody Knows You're a Dog': As"),
            "<Nobody Knows You’re a Dog>: As"
        );
        assert_eq!(
            show("from \"distance\" to \"friction\""),
            "from <distance> to <friction>"
        );
        assert_eq!(show("ETFA '09"), "ETFA ’09");
        assert_eq!(show("students' union"), "students’ union");
        assert_eq!(show("EU's"), "EU’s");
        assert_eq!(show("scrap 'racist algorithm' for"), "scrap <racist algorithm> for");
        assert_eq!(show("a \"b"), "a \"b");
        assert_eq!(
            show("of \"Positive Obligations \" of"),
            "of \"Positive Obligations \" of"
        );
        let top = |s: &str| pieces(s, true).len();
        assert_eq!(top("The “digital welfare state”: a primer"), 1);
        assert_eq!(top("Ban 'predictive policing' now"), 5);
    }
}
