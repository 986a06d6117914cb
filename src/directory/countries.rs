//! Countries: ISO 3166-1 codes and English names.
//!
//! The 27 member states, plus the EEA, the candidate countries and the United
//! Kingdom, so that lists of other legislatures can be imported from CSV. An
//! unlisted but well-formed two-letter code is accepted as it is.

/// One country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    /// The English short name, as the EP writes it ("Czechia").
    pub name: &'static str,
    pub eu_member: bool,
}

const fn c(alpha2: &'static str, alpha3: &'static str, name: &'static str, eu_member: bool) -> Country {
    Country {
        alpha2,
        alpha3,
        name,
        eu_member,
    }
}

pub const COUNTRIES: &[Country] = &[
    c("AT", "AUT", "Austria", true),
    c("BE", "BEL", "Belgium", true),
    c("BG", "BGR", "Bulgaria", true),
    c("HR", "HRV", "Croatia", true),
    c("CY", "CYP", "Cyprus", true),
    c("CZ", "CZE", "Czechia", true),
    c("DK", "DNK", "Denmark", true),
    c("EE", "EST", "Estonia", true),
    c("FI", "FIN", "Finland", true),
    c("FR", "FRA", "France", true),
    c("DE", "DEU", "Germany", true),
    c("GR", "GRC", "Greece", true),
    c("HU", "HUN", "Hungary", true),
    c("IE", "IRL", "Ireland", true),
    c("IT", "ITA", "Italy", true),
    c("LV", "LVA", "Latvia", true),
    c("LT", "LTU", "Lithuania", true),
    c("LU", "LUX", "Luxembourg", true),
    c("MT", "MLT", "Malta", true),
    c("NL", "NLD", "Netherlands", true),
    c("PL", "POL", "Poland", true),
    c("PT", "PRT", "Portugal", true),
    c("RO", "ROU", "Romania", true),
    c("SK", "SVK", "Slovakia", true),
    c("SI", "SVN", "Slovenia", true),
    c("ES", "ESP", "Spain", true),
    c("SE", "SWE", "Sweden", true),
    c("IS", "ISL", "Iceland", false),
    c("LI", "LIE", "Liechtenstein", false),
    c("NO", "NOR", "Norway", false),
    c("CH", "CHE", "Switzerland", false),
    c("GB", "GBR", "United Kingdom", false),
    c("AL", "ALB", "Albania", false),
    c("BA", "BIH", "Bosnia and Herzegovina", false),
    c("GE", "GEO", "Georgia", false),
    c("MD", "MDA", "Moldova", false),
    c("ME", "MNE", "Montenegro", false),
    c("MK", "MKD", "North Macedonia", false),
    c("RS", "SRB", "Serbia", false),
    c("TR", "TUR", "Türkiye", false),
    c("UA", "UKR", "Ukraine", false),
];

/// Other English names sources use.
const ALIASES: &[(&str, &str)] = &[
    ("czech republic", "CZ"),
    ("the netherlands", "NL"),
    ("turkey", "TR"),
    ("republic of moldova", "MD"),
    ("great britain", "GB"),
];

/// The country with this alpha-2 code (any case).
pub fn by_code(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.alpha2.eq_ignore_ascii_case(code))
}

/// Resolves an alpha-2 code, an alpha-3 code, an EU authority URI
/// (`…/country/BEL`) or an English name to an alpha-2 code.
pub fn resolve(text: &str) -> Option<String> {
    let t = text.trim().rsplit('/').next().unwrap_or_default().trim();
    if let Some(c) = COUNTRIES.iter().find(|c| {
        c.alpha2.eq_ignore_ascii_case(t) || c.alpha3.eq_ignore_ascii_case(t) || c.name.eq_ignore_ascii_case(t)
    }) {
        return Some(c.alpha2.to_owned());
    }
    let lower = t.to_lowercase();
    if let Some((_, code)) = ALIASES.iter().find(|(name, _)| *name == lower) {
        return Some((*code).to_owned());
    }
    // Greece is "EL" in EU usage.
    if t.eq_ignore_ascii_case("EL") {
        return Some("GR".to_owned());
    }
    if t.len() == 2 && t.chars().all(|ch| ch.is_ascii_alphabetic()) {
        return Some(t.to_ascii_uppercase());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_codes_names_and_uris() {
        assert_eq!(resolve("Netherlands").as_deref(), Some("NL"));
        assert_eq!(resolve("czechia").as_deref(), Some("CZ"));
        assert_eq!(resolve("DEU").as_deref(), Some("DE"));
        assert_eq!(
            resolve("http://publications.europa.eu/resource/authority/country/BEL").as_deref(),
            Some("BE")
        );
        assert_eq!(resolve("EL").as_deref(), Some("GR"));
        assert_eq!(resolve("xk").as_deref(), Some("XK"));
        assert_eq!(resolve("Atlantis"), None);
        assert_eq!(COUNTRIES.iter().filter(|c| c.eu_member).count(), 27);
    }
}
