//! The CSL locales bundled with Hemicycle (`assets/locales/`, from the CSL
//! project, CC BY-SA 3.0): the notes' terms in each letter language.

use std::sync::OnceLock;

use hayagriva::citationberg::{Locale, LocaleCode, LocaleFile};

use crate::language::Language;

/// The bundled files, by locale code.
const FILES: &[(&str, &str)] = &[
    ("bg-BG", include_str!("../../assets/locales/locales-bg-BG.xml")),
    ("cs-CZ", include_str!("../../assets/locales/locales-cs-CZ.xml")),
    ("da-DK", include_str!("../../assets/locales/locales-da-DK.xml")),
    ("de-DE", include_str!("../../assets/locales/locales-de-DE.xml")),
    ("el-GR", include_str!("../../assets/locales/locales-el-GR.xml")),
    ("en-GB", include_str!("../../assets/locales/locales-en-GB.xml")),
    ("en-US", include_str!("../../assets/locales/locales-en-US.xml")),
    ("es-ES", include_str!("../../assets/locales/locales-es-ES.xml")),
    ("et-EE", include_str!("../../assets/locales/locales-et-EE.xml")),
    ("fi-FI", include_str!("../../assets/locales/locales-fi-FI.xml")),
    ("fr-FR", include_str!("../../assets/locales/locales-fr-FR.xml")),
    ("hr-HR", include_str!("../../assets/locales/locales-hr-HR.xml")),
    ("hu-HU", include_str!("../../assets/locales/locales-hu-HU.xml")),
    ("it-IT", include_str!("../../assets/locales/locales-it-IT.xml")),
    ("lt-LT", include_str!("../../assets/locales/locales-lt-LT.xml")),
    ("lv-LV", include_str!("../../assets/locales/locales-lv-LV.xml")),
    ("nl-NL", include_str!("../../assets/locales/locales-nl-NL.xml")),
    ("pl-PL", include_str!("../../assets/locales/locales-pl-PL.xml")),
    ("pt-PT", include_str!("../../assets/locales/locales-pt-PT.xml")),
    ("ro-RO", include_str!("../../assets/locales/locales-ro-RO.xml")),
    ("sk-SK", include_str!("../../assets/locales/locales-sk-SK.xml")),
    ("sl-SI", include_str!("../../assets/locales/locales-sl-SI.xml")),
    ("sv-SE", include_str!("../../assets/locales/locales-sv-SE.xml")),
];

/// Every bundled locale, parsed once. A file that does not parse is left
/// out (the test below makes sure none is), and its language falls back
/// to `en-US` as CSL prescribes.
pub fn all() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(_, xml)| LocaleFile::from_xml(xml).ok().map(Locale::from))
            .collect()
    })
}

/// The CSL locale for a letter language ("pl" → "pl-PL"; Irish and
/// Maltese, which CSL has no locale for, → "en-GB").
pub fn locale_for(language: &str) -> LocaleCode {
    let code = Language::of(language).csl_locale().unwrap_or("en-GB");
    LocaleCode(code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_every_language_has_its_locale() {
        assert_eq!(all().len(), FILES.len());
        for (code, _) in FILES {
            assert!(
                all().iter().any(|l| l.lang.as_ref().is_some_and(|c| c.0 == *code)),
                "{code} is not in the file named after it"
            );
        }
        for language in Language::all() {
            let code = locale_for(language.code());
            assert!(FILES.iter().any(|(c, _)| *c == code.0), "{language}: {}", code.0);
        }
        assert_eq!(locale_for("ga").0, "en-GB");
        assert_eq!(locale_for("pl").0, "pl-PL");
    }
}
