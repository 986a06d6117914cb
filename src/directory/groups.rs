//! The political groups of the European Parliament (10th term): short codes,
//! full names, and every spelling the sources use for them.

/// One political group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// The short code Hemicycle stores and shows ("Greens/EFA").
    pub code: &'static str,
    /// The group's full English name.
    pub name: &'static str,
    /// Other spellings: the EP XML's names, Parltrack's codes, the Open Data
    /// Portal's and HowTheyVote's codes.
    aliases: &'static [&'static str],
}

pub const GROUPS: &[Group] = &[
    Group {
        code: "EPP",
        name: "Group of the European People's Party (Christian Democrats)",
        aliases: &["PPE", "European People's Party"],
    },
    Group {
        code: "S&D",
        name: "Group of the Progressive Alliance of Socialists and Democrats in the European Parliament",
        aliases: &["SD", "S-D", "S&amp;D"],
    },
    Group {
        code: "PfE",
        name: "Patriots for Europe Group",
        aliases: &["PFE", "Patriots", "Patriots for Europe"],
    },
    Group {
        code: "ECR",
        name: "European Conservatives and Reformists Group",
        aliases: &[],
    },
    Group {
        code: "Renew",
        name: "Renew Europe Group",
        aliases: &["RE", "RENEW", "Renew Europe"],
    },
    Group {
        code: "Greens/EFA",
        name: "Group of the Greens/European Free Alliance",
        aliases: &["GREEN_EFA", "Verts/ALE", "Greens", "Greens-EFA", "Greens_EFA"],
    },
    Group {
        code: "The Left",
        name: "The Left group in the European Parliament - GUE/NGL",
        aliases: &["GUE/NGL", "GUE_NGL", "Left", "GUE-NGL"],
    },
    Group {
        code: "ESN",
        name: "Europe of Sovereign Nations Group",
        aliases: &["Europe of Sovereign Nations"],
    },
    Group {
        code: "NI",
        name: "Non-attached Members",
        aliases: &["Non-attached", "Non-inscrits", "NA"],
    },
];

/// The group with this code (any case).
pub fn by_code(code: &str) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.code.eq_ignore_ascii_case(code))
}

/// Resolves any known spelling of a group (code, alias or full name) to its
/// code. Unknown groups (another parliament's) are kept as written.
pub fn resolve(text: &str) -> String {
    let t = text.trim().rsplit("def/ep-entities/").next().unwrap_or_default().trim();
    GROUPS
        .iter()
        .find(|g| {
            g.code.eq_ignore_ascii_case(t)
                || g.name.eq_ignore_ascii_case(t)
                || g.aliases.iter().any(|a| a.eq_ignore_ascii_case(t))
        })
        .map_or_else(|| t.to_owned(), |g| g.code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_spelling_resolves() {
        for (spelling, code) in [
            ("Group of the European People's Party (Christian Democrats)", "EPP"),
            ("RE", "Renew"),
            ("RENEW", "Renew"),
            ("GUE/NGL", "The Left"),
            ("The Left", "The Left"),
            ("GREEN_EFA", "Greens/EFA"),
            ("Europe of Sovereign Nations Group", "ESN"),
            ("Non-attached", "NI"),
            ("SD", "S&D"),
            ("PFE", "PfE"),
        ] {
            assert_eq!(resolve(spelling), code, "{spelling}");
        }
        assert_eq!(resolve("Labour"), "Labour");
    }
}
