use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn lang(code: &str) -> Language {
    Language::parse(code).unwrap()
}

#[test]
fn the_24_languages_in_order_and_parsed_with_a_region() {
    let codes: Vec<&str> = Language::all().map(Language::code).collect();
    assert_eq!(
        codes,
        [
            "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl",
            "pl", "pt", "ro", "sk", "sl", "sv"
        ]
    );
    assert_eq!(Language::default().code(), "en");
    assert_eq!(lang("de-AT").code(), "de");
    assert_eq!(lang("PT").code(), "pt");
    for bad in ["", "xx", "english", "no", "ru", "-de", "zz-DE"] {
        assert_eq!(Language::parse(bad), None, "{bad}");
    }
    let problem = unknown_code_problem("xx");
    assert!(problem.contains("\"xx\"") && problem.contains("bg, cs, da") && problem.contains(", sv"));
}

/// Written from each language's conventions, the genitive where the
/// language declines the month in a date.
#[test]
fn long_dates_in_every_language() {
    let expected = [
        ("bg", "2 декември 2026 г."),
        ("cs", "2. prosince 2026"),
        ("da", "2. december 2026"),
        ("de", "2. Dezember 2026"),
        ("el", "2 Δεκεμβρίου 2026"),
        ("en", "2 December 2026"),
        ("es", "2 de diciembre de 2026"),
        ("et", "2. detsember 2026"),
        ("fi", "2. joulukuuta 2026"),
        ("fr", "2 décembre 2026"),
        ("ga", "2 Nollaig 2026"),
        ("hr", "2. prosinca 2026."),
        ("hu", "2026. december 2."),
        ("it", "2 dicembre 2026"),
        ("lt", "2026 m. gruodžio 2 d."),
        ("lv", "2026. gada 2. decembris"),
        ("mt", "2 ta' Diċembru 2026"),
        ("nl", "2 december 2026"),
        ("pl", "2 grudnia 2026"),
        ("pt", "2 de dezembro de 2026"),
        ("ro", "2 decembrie 2026"),
        ("sk", "2. decembra 2026"),
        ("sl", "2. decembra 2026"),
        ("sv", "2 december 2026"),
    ];
    assert_eq!(expected.len(), 24);
    for (code, text) in expected {
        assert_eq!(lang(code).long_date(date(2026, 12, 2)), text, "{code}");
    }
    assert_eq!(lang("fr").long_date(date(2026, 12, 1)), "1er décembre 2026");
    assert_eq!(lang("it").long_date(date(2026, 5, 1)), "1º maggio 2026");
    assert_eq!(lang("pl").long_date(date(2023, 11, 30)), "30 listopada 2023");
    assert_eq!(lang("cs").long_date(date(2023, 5, 8)), "8. května 2023");
    assert_eq!(lang("el").long_date(date(2023, 5, 8)), "8 Μαΐου 2023");
    assert_eq!(lang("fi").long_date(date(2023, 3, 15)), "15. maaliskuuta 2023");
}

#[test]
fn numeric_dates() {
    let d = date(2026, 3, 4);
    assert_eq!(lang("en").numeric_date(d), "04/03/2026");
    assert_eq!(lang("de").numeric_date(d), "04.03.2026");
    assert_eq!(lang("nl").numeric_date(d), "04-03-2026");
    assert_eq!(lang("sv").numeric_date(d), "2026-03-04");
    assert_eq!(lang("cs").numeric_date(d), "4. 3. 2026");
    assert_eq!(lang("hu").numeric_date(d), "2026. 03. 04.");
}

#[test]
fn ordinals() {
    let en: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101]
        .iter()
        .map(|&n| lang("en").ordinal(n))
        .collect();
    assert_eq!(
        en,
        [
            "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
        ]
    );
    assert_eq!(lang("fr").ordinal(1), "1er");
    assert_eq!(lang("fr").ordinal(2), "2e");
    assert_eq!(lang("nl").ordinal(3), "3e");
    assert_eq!(lang("de").ordinal(3), "3.");
    assert_eq!(lang("es").ordinal(3), "3.º");
    let sv: Vec<String> = [1, 2, 3, 11, 12, 21, 22]
        .iter()
        .map(|&n| lang("sv").ordinal(n))
        .collect();
    assert_eq!(sv, ["1:a", "2:a", "3:e", "11:e", "12:e", "21:a", "22:a"]);
    let bg: Vec<String> = [1, 2, 3, 5, 11, 21].iter().map(|&n| lang("bg").ordinal(n)).collect();
    assert_eq!(bg, ["1-ви", "2-ри", "3-ти", "5-и", "11-и", "21-ви"]);
    assert_eq!(lang("ro").ordinal(1), "primul");
    assert_eq!(lang("ro").ordinal(2), "al 2-lea");
}

#[test]
fn lists_are_joined_with_the_language_s_and() {
    let abc: Vec<String> = ["A", "B", "C"].iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(lang("en").join(&abc), "A, B and C");
    assert_eq!(lang("de").join(&abc), "A, B und C");
    assert_eq!(lang("pl").join(&abc), "A, B i C");
    assert_eq!(lang("ro").join(&abc), "A, B și C");
    assert_eq!(lang("en").join(&abc[..1]), "A");
    assert_eq!(lang("en").join(&[]), "");
}

#[test]
fn greetings_follow_the_gender_only_where_the_directory_knows_it() {
    let de = lang("de");
    let name = "Kim van Sparrentak";
    let family = "van Sparrentak";
    assert_eq!(
        de.mep_salutation(Form::Female, name, family),
        "Sehr geehrte Frau Abgeordnete van Sparrentak,"
    );
    assert_eq!(
        de.mep_salutation(Form::Male, "Elio Di Rupo", "Di Rupo"),
        "Sehr geehrter Herr Abgeordneter Di Rupo,"
    );
    assert_eq!(
        de.mep_salutation(Form::Neutral, name, family),
        "Guten Tag Kim van Sparrentak,"
    );
    // No family name: the neutral form, not "Frau Abgeordnete ,".
    assert_eq!(de.mep_salutation(Form::Female, "Kim", ""), "Guten Tag Kim,");
    let fr = lang("fr");
    assert_eq!(fr.mep_salutation(Form::Female, name, family), "Madame la Députée,");
    assert_eq!(fr.mep_salutation(Form::Male, name, family), "Monsieur le Député,");
    assert_eq!(
        fr.mep_salutation(Form::Neutral, name, family),
        "Madame la Députée, Monsieur le Député,"
    );
    let pl = lang("pl");
    assert_eq!(pl.mep_salutation(Form::Female, name, family), "Szanowna Pani Poseł,");
    assert_eq!(pl.mep_salutation(Form::Male, name, family), "Szanowny Panie Pośle,");
    assert_eq!(pl.mep_salutation(Form::Neutral, name, family), "Szanowni Państwo,");
    // English greets by name whatever the gender.
    for form in [Form::Female, Form::Male, Form::Neutral] {
        assert_eq!(
            lang("en").mep_salutation(form, name, family),
            "Dear Kim van Sparrentak,"
        );
    }
    // People who are not MEPs are not greeted as Members.
    assert_eq!(fr.person_salutation("Henna Virkkunen"), "Madame, Monsieur,");
    assert_eq!(de.person_salutation("Henna Virkkunen"), "Guten Tag Henna Virkkunen,");
}

#[test]
fn several_people_in_one_letter() {
    let names: Vec<String> = ["Ana Gomes", "Elio Di Rupo"].iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        lang("en").salutation_many(&names, true),
        "Dear Ana Gomes and Elio Di Rupo,"
    );
    assert_eq!(lang("de").salutation_many(&names, true), "Sehr geehrte Abgeordnete,");
    assert_eq!(lang("fr").salutation_many(&names, false), "Mesdames, Messieurs,");
    assert_eq!(
        lang("fr").salutation_many(&names, true),
        "Mesdames et Messieurs les Députés,"
    );
}

#[test]
fn placeholders_are_filled_once_and_names_with_braces_stay() {
    assert_eq!(
        fill("Dear {name},", &[("name", "{family} {name}")]),
        "Dear {family} {name},"
    );
    assert_eq!(fill("{unknown} {name}", &[("name", "A")]), "{unknown} A");
    assert_eq!(fill("{", &[]), "{");
    assert_eq!(fill("a{b", &[("b", "x")]), "a{b");
}

#[test]
fn every_language_has_all_its_words() {
    for l in Language::all() {
        let f = l.facts();
        assert!(f.months.iter().all(|m| !m.trim().is_empty()), "{l}");
        let labels = l.labels();
        for word in [
            labels.to,
            labels.cc,
            labels.subject,
            labels.reference,
            labels.notes,
            labels.signatories,
            labels.embargo,
            labels.contacts,
            labels.notes_to_editors,
            labels.individuals,
            l.closing(),
        ] {
            assert!(!word.trim().is_empty(), "{l}");
        }
        assert!(f.mep_neutral.contains("{name}") || !f.mep_neutral.contains('{'), "{l}");
        assert!(
            !f.many_meps.contains("{name}") && !f.many_people.contains("{name}"),
            "{l}: several people are {{names}}"
        );
    }
}

#[test]
fn every_member_state_has_its_official_languages() {
    assert_eq!(COUNTRY_LANGUAGES.len(), 27);
    let codes = |c: &str| Language::of_country(c).iter().map(|l| l.code()).collect::<Vec<_>>();
    assert_eq!(codes("BE"), ["nl", "fr", "de"]);
    assert_eq!(codes("gr"), ["el"]);
    assert_eq!(codes("EL"), ["el"]);
    assert_eq!(codes("IE"), ["ga", "en"]);
    assert!(codes("CH").is_empty() && codes("").is_empty());
    // Each state's languages are known, and every language is some state's.
    for (country, langs) in COUNTRY_LANGUAGES {
        assert_eq!(Language::of_country(country).len(), langs.len(), "{country}");
    }
    for l in Language::all() {
        assert!(COUNTRY_LANGUAGES.iter().any(|(_, ls)| ls.contains(&l.code())), "{l}");
    }
}

#[test]
fn every_language_words_each_vote_position_apart() {
    for l in Language::all() {
        let p = l.vote_phrases();
        let all = [p.voted_for, p.against, p.abstention, p.did_not_vote, p.none];
        let distinct: std::collections::BTreeSet<&str> = all.iter().copied().collect();
        assert_eq!(distinct.len(), 5, "{l}");
        for phrase in all {
            assert!(
                phrase.contains("{{roll_call.date}}") && phrase.contains("{{roll_call.title}}"),
                "{l}: {phrase}"
            );
            assert!(
                phrase.trim_end().ends_with('.'),
                "{l}: the citation goes before the full stop: {phrase}"
            );
        }
    }
    assert_eq!(
        Language::of("de").vote_phrases().against,
        "Am {{roll_call.date}} haben Sie gegen „{{roll_call.title}}“ gestimmt."
    );
}

/// The title of a Member in every language: the singular of the form Rule 1
/// of the Parliament's Rules of Procedure gives each language, the woman's
/// form where the language has one, the generic form when the gender is
/// not known (woman, man, not known).
const MEMBER_TITLES: [(&str, [&str; 3]); 24] = [
    (
        "bg",
        [
            "член на Европейския парламент",
            "член на Европейския парламент",
            "член на Европейския парламент",
        ],
    ),
    (
        "cs",
        [
            "poslankyně Evropského parlamentu",
            "poslanec Evropského parlamentu",
            "poslanec Evropského parlamentu",
        ],
    ),
    (
        "da",
        [
            "medlem af Europa-Parlamentet",
            "medlem af Europa-Parlamentet",
            "medlem af Europa-Parlamentet",
        ],
    ),
    (
        "de",
        [
            "Mitglied des Europäischen Parlaments",
            "Mitglied des Europäischen Parlaments",
            "Mitglied des Europäischen Parlaments",
        ],
    ),
    (
        "el",
        [
            "βουλευτής του Ευρωπαϊκού Κοινοβουλίου",
            "βουλευτής του Ευρωπαϊκού Κοινοβουλίου",
            "βουλευτής του Ευρωπαϊκού Κοινοβουλίου",
        ],
    ),
    (
        "en",
        [
            "Member of the European Parliament",
            "Member of the European Parliament",
            "Member of the European Parliament",
        ],
    ),
    (
        "es",
        [
            "diputada al Parlamento Europeo",
            "diputado al Parlamento Europeo",
            "diputado al Parlamento Europeo",
        ],
    ),
    (
        "et",
        [
            "Euroopa Parlamendi liige",
            "Euroopa Parlamendi liige",
            "Euroopa Parlamendi liige",
        ],
    ),
    (
        "fi",
        [
            "Euroopan parlamentin jäsen",
            "Euroopan parlamentin jäsen",
            "Euroopan parlamentin jäsen",
        ],
    ),
    (
        "fr",
        [
            "députée au Parlement européen",
            "député au Parlement européen",
            "député au Parlement européen",
        ],
    ),
    (
        "ga",
        [
            "Feisire de Pharlaimint na hEorpa",
            "Feisire de Pharlaimint na hEorpa",
            "Feisire de Pharlaimint na hEorpa",
        ],
    ),
    (
        "hr",
        [
            "zastupnica u Europskom parlamentu",
            "zastupnik u Europskom parlamentu",
            "zastupnik u Europskom parlamentu",
        ],
    ),
    (
        "hu",
        [
            "európai parlamenti képviselő",
            "európai parlamenti képviselő",
            "európai parlamenti képviselő",
        ],
    ),
    (
        "it",
        [
            "deputata al Parlamento europeo",
            "deputato al Parlamento europeo",
            "deputato al Parlamento europeo",
        ],
    ),
    (
        "lt",
        [
            "Europos Parlamento narė",
            "Europos Parlamento narys",
            "Europos Parlamento narys",
        ],
    ),
    (
        "lv",
        [
            "Eiropas Parlamenta deputāte",
            "Eiropas Parlamenta deputāts",
            "Eiropas Parlamenta deputāts",
        ],
    ),
    (
        "mt",
        [
            "Membru tal-Parlament Ewropew",
            "Membru tal-Parlament Ewropew",
            "Membru tal-Parlament Ewropew",
        ],
    ),
    (
        "nl",
        [
            "lid van het Europees Parlement",
            "lid van het Europees Parlement",
            "lid van het Europees Parlement",
        ],
    ),
    (
        "pl",
        [
            "poseł do Parlamentu Europejskiego",
            "poseł do Parlamentu Europejskiego",
            "poseł do Parlamentu Europejskiego",
        ],
    ),
    (
        "pt",
        [
            "deputada ao Parlamento Europeu",
            "deputado ao Parlamento Europeu",
            "deputado ao Parlamento Europeu",
        ],
    ),
    (
        "ro",
        [
            "deputat în Parlamentul European",
            "deputat în Parlamentul European",
            "deputat în Parlamentul European",
        ],
    ),
    (
        "sk",
        [
            "poslankyňa Európskeho parlamentu",
            "poslanec Európskeho parlamentu",
            "poslanec Európskeho parlamentu",
        ],
    ),
    (
        "sl",
        [
            "poslanka Evropskega parlamenta",
            "poslanec Evropskega parlamenta",
            "poslanec Evropskega parlamenta",
        ],
    ),
    (
        "sv",
        [
            "ledamot av Europaparlamentet",
            "ledamot av Europaparlamentet",
            "ledamot av Europaparlamentet",
        ],
    ),
];

#[test]
fn every_language_has_the_title_of_a_member_and_honorifics() {
    let expected = MEMBER_TITLES;
    let codes: Vec<&str> = expected.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, Language::all().map(Language::code).collect::<Vec<_>>());
    for (code, [female, male, generic]) in expected {
        let l = lang(code);
        assert_eq!(l.member_title(Form::Female), female, "{code}");
        assert_eq!(l.member_title(Form::Male), male, "{code}");
        assert_eq!(l.member_title(Form::Neutral), generic, "{code}");
        // An honorific for a woman and a man, none without one recorded.
        assert_eq!(l.honorific(Form::Neutral), None, "{code}");
        assert_eq!(l.with_honorific(Form::Neutral, "Ana Abadía"), "Ana Abadía", "{code}");
        for form in [Form::Female, Form::Male] {
            let h = l.honorific(form).unwrap();
            assert!(!h.trim().is_empty() && h.trim() == h, "{code}: {h:?}");
            let named = l.with_honorific(form, "Ana Abadía");
            assert!(
                named == format!("{h} Ana Abadía") || named == format!("Ana Abadía {h}"),
                "{code}: {named}"
            );
        }
    }
    // Greek in Greek letters (the Rules' own text has Latin look-alikes).
    assert!(
        lang("el")
            .member_title(Form::Male)
            .chars()
            .all(|c| c == ' ' || ('\u{370}'..='\u{3ff}').contains(&c))
    );
}

#[test]
fn honorifics_before_or_after_the_name_as_the_language_writes_them() {
    let tudorache = "Dragoş Tudorache";
    for (code, form, named) in [
        ("en", Form::Male, "Mr Dragoş Tudorache"),
        ("en", Form::Female, "Ms Dragoş Tudorache"),
        ("de", Form::Male, "Herr Dragoş Tudorache"),
        ("de", Form::Female, "Frau Dragoş Tudorache"),
        ("fr", Form::Male, "M. Dragoş Tudorache"),
        ("fr", Form::Female, "Mme Dragoş Tudorache"),
        ("it", Form::Female, "Sig.ra Dragoş Tudorache"),
        ("es", Form::Female, "Sra. Dragoş Tudorache"),
        ("pl", Form::Male, "Pan Dragoş Tudorache"),
        ("hu", Form::Male, "Dragoş Tudorache úr"),
        ("lv", Form::Female, "Dragoş Tudorache kundze"),
    ] {
        assert_eq!(lang(code).with_honorific(form, tudorache), named);
    }
}
