//! One letter in each of the 24 official EU languages: the date, the
//! greeting of a woman, a man and an MEP whose gender is not known, the
//! labels, the closing formula and the notes' terms ("Ibid.", "accessed",
//! the page label), checked against expectations written from each
//! language's conventions (`docs/languages.md`) and the CSL locales, and
//! the whole letter against `tests/golden/languages/` (`UPDATE_GOLDEN=1`
//! rewrites them; read the diff).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hemicycle::campaign::Campaign;
use hemicycle::compose::Composer;
use hemicycle::directory::{Directory, Gender, Mep};
use hemicycle::letter::Letter;
use hemicycle::render;

/// What one language's letter must say.
struct Expected {
    code: &'static str,
    date: &'static str,
    /// Kim van Sparrentak (recorded female), Elio Di Rupo (male), Sibylle
    /// Berg (recorded "not known").
    woman: &'static str,
    man: &'static str,
    unknown: &'static str,
    closing: &'static str,
    /// "Subject: 2024/1689" and "To: Kim van Sparrentak".
    subject: &'static str,
    to: &'static str,
    /// Note 2 ("Ibid., p. 14.") and the start of the accessed date in note 1.
    ibid_page: &'static str,
    accessed: &'static str,
}

const EXPECTED: [Expected; 24] = [
    Expected {
        code: "bg",
        date: "2 декември 2026 г.",
        woman: "Уважаема госпожо Евродепутат,",
        man: "Уважаеми господин Евродепутат,",
        unknown: "Уважаеми дами и господа,",
        closing: "С уважение,",
        subject: "Относно",
        to: "До",
        ibid_page: "Пак там, стр. 14.",
        accessed: "[Отворен на ",
    },
    Expected {
        code: "cs",
        date: "2. prosince 2026",
        woman: "Vážená paní poslankyně,",
        man: "Vážený pane poslanče,",
        unknown: "Vážená paní poslankyně, vážený pane poslanče,",
        closing: "S úctou",
        subject: "Věc",
        to: "Komu",
        ibid_page: "Ibid., s. 14.",
        accessed: "[Viděno ",
    },
    Expected {
        code: "da",
        date: "2. december 2026",
        woman: "Kære Kim van Sparrentak",
        man: "Kære Elio Di Rupo",
        unknown: "Kære Sibylle Berg",
        closing: "Med venlig hilsen",
        subject: "Emne",
        to: "Til",
        ibid_page: "Ibid., s. 14.",
        accessed: "[Set ",
    },
    Expected {
        code: "de",
        date: "2. Dezember 2026",
        woman: "Sehr geehrte Frau Abgeordnete van Sparrentak,",
        man: "Sehr geehrter Herr Abgeordneter Di Rupo,",
        unknown: "Guten Tag Sibylle Berg,",
        closing: "Mit freundlichen Grüßen",
        subject: "Betreff",
        to: "An",
        ibid_page: "Ebd., S. 14.",
        accessed: "[Zugegriffen ",
    },
    Expected {
        code: "el",
        date: "2 Δεκεμβρίου 2026",
        woman: "Αξιότιμη κυρία Ευρωβουλευτή,",
        man: "Αξιότιμε κύριε Ευρωβουλευτή,",
        unknown: "Αξιότιμη κυρία Ευρωβουλευτή, αξιότιμε κύριε Ευρωβουλευτή,",
        closing: "Με εκτίμηση,",
        subject: "Θέμα",
        to: "Προς",
        ibid_page: "Στο ίδιο, σελ. 14.",
        accessed: "[Ημερομηνία πρόσβασης ",
    },
    Expected {
        code: "en",
        date: "2 December 2026",
        woman: "Dear Kim van Sparrentak,",
        man: "Dear Elio Di Rupo,",
        unknown: "Dear Sibylle Berg,",
        closing: "Yours sincerely,",
        subject: "Subject",
        to: "To",
        ibid_page: "Ibid., p. 14.",
        accessed: "[Accessed 1 November 2026]",
    },
    Expected {
        code: "es",
        date: "2 de diciembre de 2026",
        woman: "Estimada señora diputada:",
        man: "Estimado señor diputado:",
        unknown: "Estimado/a Sibylle Berg:",
        closing: "Atentamente,",
        subject: "Asunto",
        to: "A",
        ibid_page: "Ibid., p. 14.",
        accessed: "[Accedido ",
    },
    Expected {
        code: "et",
        date: "2. detsember 2026",
        woman: "Lugupeetud Kim van Sparrentak",
        man: "Lugupeetud Elio Di Rupo",
        unknown: "Lugupeetud Sibylle Berg",
        closing: "Lugupidamisega",
        subject: "Teema",
        to: "Saaja",
        ibid_page: "Ibid., lk 14.",
        accessed: "[Vaadatud ",
    },
    Expected {
        code: "fi",
        date: "2. joulukuuta 2026",
        woman: "Hyvä Kim van Sparrentak",
        man: "Hyvä Elio Di Rupo",
        unknown: "Hyvä Sibylle Berg",
        closing: "Ystävällisin terveisin",
        subject: "Asia",
        to: "Vastaanottaja",
        ibid_page: "Mt., s. 14.",
        accessed: "[Viitattu ",
    },
    Expected {
        code: "fr",
        date: "2 décembre 2026",
        woman: "Madame la Députée,",
        man: "Monsieur le Député,",
        unknown: "Madame la Députée, Monsieur le Député,",
        closing: "Nous vous prions d'agréer l'expression de notre haute considération.",
        subject: "Objet",
        to: "À",
        ibid_page: "Ibid., p. 14.",
        accessed: "[Consulté le ",
    },
    Expected {
        code: "ga",
        date: "2 Nollaig 2026",
        woman: "A Chara,",
        man: "A Chara,",
        unknown: "A Chara,",
        closing: "Is mise le meas,",
        subject: "Ábhar",
        to: "Chuig",
        // No CSL locale for Irish: the notes use British English terms.
        ibid_page: "Ibid., p. 14.",
        accessed: "[Accessed 1 November 2026]",
    },
    Expected {
        code: "hr",
        date: "2. prosinca 2026.",
        woman: "Poštovana gospođo zastupnice,",
        man: "Poštovani gospodine zastupniče,",
        unknown: "Poštovana gospođo zastupnice, poštovani gospodine zastupniče,",
        closing: "S poštovanjem,",
        subject: "Predmet",
        to: "Primatelj",
        ibid_page: "Ibid., str. 14.",
        accessed: "[Pristupljeno ",
    },
    Expected {
        code: "hu",
        date: "2026. december 2.",
        woman: "Tisztelt Képviselő Asszony!",
        man: "Tisztelt Képviselő Úr!",
        unknown: "Tisztelt Képviselő Asszony/Úr!",
        closing: "Tisztelettel:",
        subject: "Tárgy",
        to: "Címzett",
        ibid_page: "Uo., o. 14.",
        accessed: "[Elérés ",
    },
    Expected {
        code: "it",
        date: "2 dicembre 2026",
        woman: "Gentile Onorevole,",
        man: "Gentile Onorevole,",
        unknown: "Gentile Onorevole,",
        closing: "Distinti saluti,",
        subject: "Oggetto",
        to: "A",
        ibid_page: "Ibidem, p. 14.",
        accessed: "[Consultato ",
    },
    Expected {
        code: "lt",
        date: "2026 m. gruodžio 2 d.",
        woman: "Gerbiama Europos Parlamento nare,",
        man: "Gerbiamas Europos Parlamento nary,",
        unknown: "Laba diena,",
        closing: "Pagarbiai",
        subject: "Tema",
        to: "Kam",
        ibid_page: "Ten pat, p. 14.",
        accessed: "[Žiūrėta ",
    },
    Expected {
        code: "lv",
        date: "2026. gada 2. decembris",
        woman: "Godātā deputātes kundze!",
        man: "Godātais deputāta kungs!",
        unknown: "Labdien!",
        closing: "Ar cieņu",
        subject: "Temats",
        to: "Adresāts",
        ibid_page: "Turpat, lpp. 14.",
        accessed: "[Skatīts ",
    },
    Expected {
        code: "mt",
        date: "2 ta' Diċembru 2026",
        woman: "Għażiża Kim van Sparrentak,",
        man: "Għażiż Elio Di Rupo,",
        unknown: "Għażiż/a Sibylle Berg,",
        closing: "Dejjem tiegħek,",
        subject: "Suġġett",
        to: "Lil",
        // No CSL locale for Maltese: the notes use British English terms.
        ibid_page: "Ibid., p. 14.",
        accessed: "[Accessed 1 November 2026]",
    },
    Expected {
        code: "nl",
        date: "2 december 2026",
        woman: "Geachte Kim van Sparrentak,",
        man: "Geachte Elio Di Rupo,",
        unknown: "Geachte Sibylle Berg,",
        closing: "Met vriendelijke groet,",
        subject: "Onderwerp",
        to: "Aan",
        ibid_page: "Ibid., p. 14.",
        accessed: "[Geraadpleegd ",
    },
    Expected {
        code: "pl",
        date: "2 grudnia 2026",
        woman: "Szanowna Pani Poseł,",
        man: "Szanowny Panie Pośle,",
        unknown: "Szanowni Państwo,",
        closing: "Z wyrazami szacunku",
        subject: "Temat",
        to: "Do",
        ibid_page: "Ibid., s. 14.",
        accessed: "[Dostęp ",
    },
    Expected {
        code: "pt",
        date: "2 de dezembro de 2026",
        woman: "Exma. Senhora Deputada,",
        man: "Exmo. Senhor Deputado,",
        unknown: "Exmo./Exma. Sibylle Berg,",
        closing: "Com os melhores cumprimentos,",
        subject: "Assunto",
        to: "Para",
        ibid_page: "Ibid., p. 14.",
        accessed: "[Acedido ",
    },
    Expected {
        code: "ro",
        date: "2 decembrie 2026",
        woman: "Stimată doamnă deputat,",
        man: "Stimate domnule deputat,",
        unknown: "Stimată doamnă deputat, stimate domnule deputat,",
        closing: "Cu stimă,",
        subject: "Subiect",
        to: "Către",
        ibid_page: "Ibidem, p. 14.",
        accessed: "[Data accesării ",
    },
    Expected {
        code: "sk",
        date: "2. decembra 2026",
        woman: "Vážená pani poslankyňa,",
        man: "Vážený pán poslanec,",
        unknown: "Vážená pani poslankyňa, vážený pán poslanec,",
        closing: "S úctou",
        subject: "Vec",
        to: "Komu",
        ibid_page: "Ibid., s. 14.",
        accessed: "[Cit ",
    },
    Expected {
        code: "sl",
        date: "2. decembra 2026",
        woman: "Spoštovana gospa poslanka,",
        man: "Spoštovani gospod poslanec,",
        unknown: "Spoštovana gospa poslanka, spoštovani gospod poslanec,",
        closing: "S spoštovanjem,",
        subject: "Zadeva",
        to: "Naslovnik",
        ibid_page: "Isto, str. 14.",
        accessed: "[Pridobljeno ",
    },
    Expected {
        code: "sv",
        date: "2 december 2026",
        woman: "Bästa Kim van Sparrentak",
        man: "Bästa Elio Di Rupo",
        unknown: "Bästa Sibylle Berg",
        closing: "Med vänliga hälsningar",
        subject: "Ärende",
        to: "Till",
        ibid_page: "Ibid., s. 14.",
        accessed: "[Åtkomstdatum ",
    },
];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages/campaign.toml")
}

fn composer(code: &str) -> Composer {
    let mut campaign = Campaign::load(&fixture()).unwrap();
    code.clone_into(&mut campaign.language);
    Composer::from_campaign(campaign, &fixture(), None).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()
}

fn mep(id: &str) -> Mep {
    Directory::bundled().unwrap().get(id).unwrap().clone()
}

fn letter(composer: &Composer, mep: &Mep) -> Letter {
    composer.letter(mep, 0, today()).unwrap()
}

fn note_texts(letter: &Letter) -> Vec<String> {
    letter.notes.iter().map(|n| render::text::inlines(&n.inlines)).collect()
}

/// The three MEPs the greetings are checked with, as the directory records them.
#[test]
fn the_directory_records_the_genders_the_test_relies_on() {
    assert_eq!(mep("197870").gender, Some(Gender::Female));
    assert_eq!(mep("1294").gender, Some(Gender::Male));
    assert_eq!(mep("256960").gender, Some(Gender::NotKnown));
}

#[test]
fn one_letter_in_each_of_the_24_languages() {
    let (kim, elio, sibylle) = (mep("197870"), mep("1294"), mep("256960"));
    let mut failures = Vec::new();
    for e in &EXPECTED {
        let c = composer(e.code);
        let woman = letter(&c, &kim);
        let text = render::text::render(&woman);
        let notes = note_texts(&woman);
        let checks = [
            ("date", text.contains(&format!("Brussels, {}\n", e.date))),
            ("woman", text.contains(&format!("\n{}\n", e.woman))),
            ("closing", text.contains(&format!("\n{}\n", e.closing))),
            ("subject", text.contains(&format!("{}: 2024/1689", e.subject))),
            ("to", text.contains(&format!("{}: Kim van Sparrentak", e.to))),
            ("ibid with a page", notes.get(1).is_some_and(|n| n == e.ibid_page)),
            ("accessed", notes.first().is_some_and(|n| n.contains(e.accessed))),
            (
                "man",
                render::text::render(&letter(&c, &elio)).contains(&format!("\n{}\n", e.man)),
            ),
            (
                "unknown",
                render::text::render(&letter(&c, &sibylle)).contains(&format!("\n{}\n", e.unknown)),
            ),
        ];
        for (what, ok) in checks {
            if !ok {
                failures.push(format!("{}: {what}\n{text}", e.code));
            }
        }
        golden(e.code, &text);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n----\n"));
}

/// An MEP no source gave a gender (joined after the data was taken) is
/// greeted neutrally, never by a guess from the name.
#[test]
fn an_mep_without_a_recorded_gender_is_greeted_neutrally() {
    let mut kim = mep("197870");
    kim.gender = None;
    let text = render::text::render(&letter(&composer("de"), &kim));
    assert!(text.contains("\nGuten Tag Kim van Sparrentak,\n"), "{text}");
    let text = render::text::render(&letter(&composer("pl"), &kim));
    assert!(text.contains("\nSzanowni Państwo,\n"), "{text}");
}

/// The notes cache is keyed on the language too: the same citations in
/// another language are formatted again, not taken from the last letter.
#[test]
fn two_letters_in_two_languages_with_the_same_citations_get_notes_in_their_own_language() {
    let mut c = composer("en");
    let kim = mep("197870");
    let english = note_texts(&letter(&c, &kim));
    assert_eq!(english[1], "Ibid., p. 14.");
    // The language changes as a per-recipient language would, without
    // anyone clearing the cache.
    "de".clone_into(&mut c.campaign.language);
    let german = note_texts(&letter(&c, &kim));
    assert_eq!(german[1], "Ebd., S. 14.");
    assert!(german[0].contains("[Zugegriffen "), "{}", german[0]);
    "en".clone_into(&mut c.campaign.language);
    assert_eq!(note_texts(&letter(&c, &kim)), english);
}

/// French, Spanish and Italian put the note marker before the full stop.
#[test]
fn note_markers_sit_where_the_language_puts_them() {
    let kim = mep("197870");
    for (code, first) in [
        ("fr", "2024/1689[1]."),
        ("es", "2024/1689[1]."),
        ("de", "2024/1689.[1]"),
    ] {
        let text = render::text::render(&letter(&composer(code), &kim));
        assert!(text.contains(first), "{code}: {text}");
    }
}

/// Compares with `tests/golden/languages/CODE.txt`; `UPDATE_GOLDEN=1` rewrites it.
fn golden(code: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/languages")
        .join(format!("{code}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden file {}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{code}: the letter differs from {}:\n{actual}",
        path.display()
    );
}
