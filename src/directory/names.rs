//! Names: splitting the EP's "Given FAMILY" form and casing family names for
//! letters.
//!
//! The EP writes family names in capitals ("Kim VAN SPARRENTAK"). A letter
//! must say "Kim van Sparrentak". Where the EP Open Data Portal gives
//! `givenName`/`familyName`, those win; a user's override wins over
//! everything. Otherwise the heuristic here applies:
//!
//! 1. **Split**: the family name starts at the first word written wholly in
//!    capitals (at least two letters, or a one-letter word such as the Irish
//!    "Ó" followed by such a word, or a "Mc" name such as "McALLISTER").
//!    If no word is in capitals, the last word is the family name.
//! 2. **Case** each word of the family name: first letter capital, the rest
//!    small, also after a hyphen or an apostrophe ("O'Sullivan",
//!    "Al-Sahlani"); "Mc" names keep the capital after "Mc" ("McAllister");
//!    Dutch and Flemish "IJ" stays a pair ("IJzerman").
//! 3. **Particles** follow the country's convention, because the same word is
//!    written differently in different countries: in the Netherlands "van",
//!    "de", "ter", "van der" are small ("Kim van Sparrentak") while Belgium
//!    keeps them capital ("Kathleen Van Brempt", "Elio Di Rupo"); Germany and
//!    Austria write "von", "zu" (and "der" after them) small but Italian-born
//!    names capital ("Fabio De Masi"); Spain "de", "del", "de la" and the
//!    conjunctions "y"/"i" ("Diana Riba i Giner"); Portugal "de", "da", "do",
//!    "dos", "das" and "e"; France "de", "du", "des", "d'"; Sweden, Denmark and
//!    Finland "af" and "von". Italy, Ireland, Malta and all other countries keep
//!    every word capitalised. The last word of a family name is never a
//!    particle.

/// Particles of one country: `leading` may start a run of particles,
/// `following` only continues one ("der" in "von der"), `conjunctions` join
/// two family names ("i" in "Riba i Giner").
struct Particles {
    leading: &'static [&'static str],
    following: &'static [&'static str],
    conjunctions: &'static [&'static str],
    elided: &'static [&'static str],
}

const NONE: Particles = Particles {
    leading: &[],
    following: &[],
    conjunctions: &[],
    elided: &[],
};

fn particles(country: &str) -> Particles {
    match country.to_ascii_uppercase().as_str() {
        "NL" => Particles {
            leading: &[
                "van", "de", "den", "der", "ter", "ten", "te", "het", "'t", "in", "op", "onder", "uit",
            ],
            following: &["de", "den", "der", "het", "'t", "van", "ten", "ter"],
            conjunctions: &[],
            elided: &[],
        },
        "DE" | "AT" | "CH" | "LI" => Particles {
            leading: &["von", "vom", "zu", "zum", "zur"],
            following: &["der", "den", "dem", "und", "zu"],
            conjunctions: &[],
            elided: &[],
        },
        "ES" => Particles {
            leading: &["de", "del"],
            following: &["la", "las", "los"],
            conjunctions: &["y", "i"],
            elided: &[],
        },
        "PT" => Particles {
            leading: &["de", "da", "do", "das", "dos"],
            following: &[],
            conjunctions: &["e"],
            elided: &[],
        },
        "FR" | "LU" => Particles {
            leading: &["de", "du", "des"],
            following: &["la"],
            conjunctions: &[],
            elided: &["d"],
        },
        "SE" | "DK" | "FI" => Particles {
            leading: &["af", "von"],
            following: &[],
            conjunctions: &[],
            elided: &[],
        },
        _ => NONE,
    }
}

/// Splits "Kim VAN SPARRENTAK" into ("Kim", "VAN SPARRENTAK"). The family
/// part is returned as written; see [`case_family_name`].
pub fn split_full_name(full: &str) -> (String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    let Some(last) = words.last() else {
        return (String::new(), String::new());
    };
    let start = (0..words.len()).find(|&i| {
        is_capitals_word(words[i])
            || (i > 0 && is_initial_particle(words[i]) && words.get(i + 1).is_some_and(|w| is_capitals_word(w)))
    });
    match start {
        // The whole name in capitals ("ELIO DI RUPO"): the first word is the
        // given name.
        Some(0) if words.len() > 1 && words.iter().all(|w| is_capitals_word(w)) => {
            (words[0].to_owned(), words[1..].join(" "))
        }
        Some(i) if i > 0 => (words[..i].join(" "), words[i..].join(" ")),
        Some(_) => (String::new(), words.join(" ")),
        None => (words[..words.len() - 1].join(" "), (*last).to_owned()),
    }
}

/// A word in capitals: at least two letters and none small, or a "Mc" name
/// with capitals after "Mc".
fn is_capitals_word(word: &str) -> bool {
    let rest = word
        .strip_prefix("Mc")
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(word);
    let letters = rest.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && !rest.chars().any(char::is_lowercase)
}

/// A one-letter capital word such as the Irish "Ó".
fn is_initial_particle(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// Cases a given name: left alone unless it is written wholly in capitals.
pub fn case_given_name(raw: &str) -> String {
    let raw = raw.trim();
    if raw.chars().any(char::is_lowercase) || raw.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return raw.to_owned();
    }
    map_words(raw, |word, _| title_word(word, ""))
}

/// Cases a family name for letters following the conventions of `country`
/// (ISO alpha-2). A name that already has small letters is kept as written.
pub fn case_family_name(raw: &str, country: &str) -> String {
    let raw = raw.trim();
    if raw.chars().any(char::is_lowercase) && !raw.starts_with("Mc") {
        return raw.to_owned();
    }
    let rules = particles(country);
    let words: Vec<&str> = raw.split(['-', ' ']).filter(|w| !w.is_empty()).collect();
    let last = words.len().saturating_sub(1);
    let mut previous_was_particle = false;
    let mut cased = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let lower = word.to_lowercase();
        let lower = lower.as_str();
        let particle = i < last
            && (rules.leading.contains(&lower)
                || (previous_was_particle && rules.following.contains(&lower))
                || (i > 0 && rules.conjunctions.contains(&lower)));
        previous_was_particle = particle;
        cased.push(if particle {
            lower.to_owned()
        } else {
            title_word(word, country)
        });
    }
    // Put the separators back.
    let mut out = String::with_capacity(raw.len());
    let mut cased = cased.into_iter();
    let mut in_word = false;
    for ch in raw.chars() {
        if ch == '-' || ch == ' ' {
            out.push(ch);
            in_word = false;
        } else if !in_word {
            in_word = true;
            if let Some(w) = cased.next() {
                out.push_str(&w);
            }
        }
    }
    elide(&out, &rules)
}

/// French "D'ORNANO" → "d'Ornano" (only where the country writes it so).
fn elide(name: &str, rules: &Particles) -> String {
    for prefix in rules.elided {
        for apostrophe in ['\'', '’'] {
            let upper = format!("{}{apostrophe}", prefix.to_uppercase());
            if let Some(rest) = name.strip_prefix(&upper).filter(|r| !r.is_empty()) {
                return format!("{prefix}{apostrophe}{rest}");
            }
        }
    }
    name.to_owned()
}

/// Applies `f` to each word of `text`, keeping spaces and hyphens.
fn map_words(text: &str, f: impl Fn(&str, usize) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut index = 0;
    for ch in text.chars() {
        if ch == ' ' || ch == '-' {
            if !word.is_empty() {
                out.push_str(&f(&word, index));
                index += 1;
                word.clear();
            }
            out.push(ch);
        } else {
            word.push(ch);
        }
    }
    if !word.is_empty() {
        out.push_str(&f(&word, index));
    }
    out
}

/// "SPARRENTAK" → "Sparrentak", "O'SULLIVAN" → "O'Sullivan",
/// "MCALLISTER" → "McAllister", "IJZERMAN" → "IJzerman" (NL, BE).
fn title_word(word: &str, country: &str) -> String {
    let upper = word.to_uppercase();
    if let Some(rest) = upper.strip_prefix("MC").filter(|r| r.chars().count() >= 2) {
        return format!("Mc{}", title_simple(rest));
    }
    if matches!(country, "NL" | "BE")
        && let Some(rest) = upper.strip_prefix("IJ")
    {
        return format!("IJ{}", rest.to_lowercase());
    }
    // Capital after an apostrophe that follows a single letter: O'Sullivan,
    // D'Amato. A trailing apostrophe (PEDULLA') stays as it is.
    for apostrophe in ['\'', '’'] {
        if let Some((head, tail)) = word.split_once(apostrophe)
            && head.chars().count() == 1
            && !tail.is_empty()
        {
            return format!("{}{apostrophe}{}", head.to_uppercase(), title_simple(tail));
        }
    }
    title_simple(word)
}

fn title_simple(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.as_str().to_lowercase().chars())
            .collect(),
        None => String::new(),
    }
}

/// "van Sparrentak" → "Sparrentak": for sorting, the small particles that
/// lead a family name are skipped (as Dutch directories do). Capitalised
/// particles ("Van Brempt") are part of the name and sort under V.
pub fn strip_leading_particles(family: &str) -> &str {
    let mut rest = family;
    loop {
        let Some((head, tail)) = rest.split_once(' ') else {
            return rest;
        };
        if head.chars().next().is_some_and(char::is_lowercase) && !tail.is_empty() {
            rest = tail;
        } else {
            return rest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cased(full: &str, country: &str) -> String {
        let (given, family) = split_full_name(full);
        format!("{} {}", case_given_name(&given), case_family_name(&family, country))
    }

    #[test]
    fn splits_on_the_capitals() {
        assert_eq!(
            split_full_name("Kim VAN SPARRENTAK"),
            ("Kim".into(), "VAN SPARRENTAK".into())
        );
        assert_eq!(
            split_full_name("Juan Ignacio ZOIDO ÁLVAREZ"),
            ("Juan Ignacio".into(), "ZOIDO ÁLVAREZ".into())
        );
        assert_eq!(
            split_full_name("Aodhán Ó RÍORDÁIN"),
            ("Aodhán".into(), "Ó RÍORDÁIN".into())
        );
        assert_eq!(
            split_full_name("David McALLISTER"),
            ("David".into(), "McALLISTER".into())
        );
        assert_eq!(split_full_name("ELIO DI RUPO"), ("ELIO".into(), "DI RUPO".into()));
        assert_eq!(
            split_full_name("Anna Lena Schmidt"),
            ("Anna Lena".into(), "Schmidt".into())
        );
        assert_eq!(split_full_name("  "), (String::new(), String::new()));
    }

    #[test]
    fn cases_names_by_country_convention() {
        for (full, country, expected) in [
            ("Kim VAN SPARRENTAK", "NL", "Kim van Sparrentak"),
            ("Brigitte VAN DEN BERG", "NL", "Brigitte van den Berg"),
            ("Ingeborg TER LAAK", "NL", "Ingeborg ter Laak"),
            (
                "Raquel GARCÍA HERMIDA-VAN DER WALLE",
                "NL",
                "Raquel García Hermida-van der Walle",
            ),
            ("Kathleen VAN BREMPT", "BE", "Kathleen Van Brempt"),
            ("Elio DI RUPO", "BE", "Elio Di Rupo"),
            ("Michael VON DER SCHULENBURG", "DE", "Michael von der Schulenburg"),
            ("Fabio DE MASI", "DE", "Fabio De Masi"),
            ("Salvatore DE MEO", "IT", "Salvatore De Meo"),
            ("David MCALLISTER", "DE", "David McAllister"),
            ("David McALLISTER", "DE", "David McAllister"),
            ("Raúl DE LA HOZ QUINTANO", "ES", "Raúl de la Hoz Quintano"),
            ("Nicolás PASCUAL DE LA PARTE", "ES", "Nicolás Pascual de la Parte"),
            ("Diana RIBA I GINER", "ES", "Diana Riba i Giner"),
            ("João COTRIM DE FIGUEIREDO", "PT", "João Cotrim de Figueiredo"),
            ("Paulo DO NASCIMENTO CABRAL", "PT", "Paulo do Nascimento Cabral"),
            ("Isabelle LE CALLENNEC", "FR", "Isabelle Le Callennec"),
            ("Marie-Luce BRASIER-CLAIN", "FR", "Marie-Luce Brasier-Clain"),
            ("Aodhán Ó RÍORDÁIN", "IE", "Aodhán Ó Ríordáin"),
            ("Cynthia NÍ MHURCHÚ", "IE", "Cynthia Ní Mhurchú"),
            ("Bartosz ARŁUKOWICZ", "PL", "Bartosz Arłukowicz"),
            ("Abir AL-SAHLANI", "SE", "Abir Al-Sahlani"),
            ("Gaetano PEDULLA'", "IT", "Gaetano Pedulla'"),
            ("Diana IOVANOVICI ŞOŞOACĂ", "RO", "Diana Iovanovici Şoşoacă"),
            ("Seán O'SULLIVAN", "IE", "Seán O'Sullivan"),
            ("Jean D'ORNANO", "FR", "Jean d'Ornano"),
            ("Dirk IJZERMAN", "NL", "Dirk IJzerman"),
            ("Anna DE", "NL", "Anna De"),
            ("ELIO DI RUPO", "BE", "Elio Di Rupo"),
        ] {
            assert_eq!(cased(full, country), expected, "{full} ({country})");
        }
    }

    #[test]
    fn already_cased_names_are_kept() {
        assert_eq!(case_family_name("van Sparrentak", "NL"), "van Sparrentak");
        assert_eq!(case_given_name("Marie-Luce"), "Marie-Luce");
        assert_eq!(case_given_name("JEAN-PAUL"), "Jean-Paul");
    }

    #[test]
    fn sorting_skips_small_particles_only() {
        assert_eq!(strip_leading_particles("van den Berg"), "Berg");
        assert_eq!(strip_leading_particles("Van Brempt"), "Van Brempt");
        assert_eq!(strip_leading_particles("de la Hoz Quintano"), "Hoz Quintano");
    }
}
