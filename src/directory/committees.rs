//! The committees of the European Parliament (10th term): acronyms and
//! English names, as the Parliament's website lists them ("LIBE — Civil
//! Liberties, Justice and Home Affairs").
//!
//! The standing committees, the subcommittees (DROI, FISC) and the special
//! committees of the term (HOUS, EUDS). A code that is not here (a committee
//! of an earlier term, a list imported from CSV) is shown as its code alone.

/// One committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committee {
    /// The acronym the sources use ("LIBE").
    pub code: &'static str,
    /// The English name without "Committee on" ("Civil Liberties, Justice
    /// and Home Affairs").
    pub name: &'static str,
}

pub const COMMITTEES: &[Committee] = &[
    c("AFCO", "Constitutional Affairs"),
    c("AFET", "Foreign Affairs"),
    c("AGRI", "Agriculture and Rural Development"),
    c("BUDG", "Budgets"),
    c("CONT", "Budgetary Control"),
    c("CULT", "Culture and Education"),
    c("DEVE", "Development"),
    c("DROI", "Human Rights"),
    c("ECON", "Economic and Monetary Affairs"),
    c("EMPL", "Employment and Social Affairs"),
    c("ENVI", "Environment, Climate and Food Safety"),
    c("EUDS", "European Democracy Shield"),
    c("FEMM", "Women's Rights and Gender Equality"),
    c("FISC", "Tax Matters"),
    c("HOUS", "Housing Crisis in the European Union"),
    c("IMCO", "Internal Market and Consumer Protection"),
    c("INTA", "International Trade"),
    c("ITRE", "Industry, Research and Energy"),
    c("JURI", "Legal Affairs"),
    c("LIBE", "Civil Liberties, Justice and Home Affairs"),
    c("PECH", "Fisheries"),
    c("PETI", "Petitions"),
    c("REGI", "Regional Development"),
    c("SANT", "Public Health"),
    c("SEDE", "Security and Defence"),
    c("TRAN", "Transport and Tourism"),
];

const fn c(code: &'static str, name: &'static str) -> Committee {
    Committee { code, name }
}

/// The committee with this acronym (any case).
pub fn by_code(code: &str) -> Option<&'static Committee> {
    COMMITTEES.iter().find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// The committee's English name, if the code is known.
pub fn name(code: &str) -> Option<&'static str> {
    by_code(code).map(|c| c.name)
}

/// "LIBE — Civil Liberties, Justice and Home Affairs", or the code alone
/// when its name is not known.
pub fn label(code: &str) -> String {
    match name(code) {
        Some(name) => format!("{code} — {name}"),
        None => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_committee_of_the_bundled_snapshot_has_a_name() {
        let dir = super::super::Directory::bundled().expect("bundled directory");
        let codes = dir.committee_codes();
        assert!(codes.len() >= 20, "{codes:?}");
        let unnamed: Vec<&String> = codes.iter().filter(|c| name(c).is_none()).collect();
        assert!(unnamed.is_empty(), "committees without a name: {unnamed:?}");
    }

    #[test]
    fn codes_are_unique_upper_case_and_found_in_any_case() {
        let mut codes: Vec<&str> = COMMITTEES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), COMMITTEES.len());
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 4 && c.chars().all(|ch| ch.is_ascii_uppercase()))
        );
        assert_eq!(name("libe"), Some("Civil Liberties, Justice and Home Affairs"));
        assert_eq!(label("LIBE"), "LIBE — Civil Liberties, Justice and Home Affairs");
        assert_eq!(label("PEGA"), "PEGA");
    }
}
