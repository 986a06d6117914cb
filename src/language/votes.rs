//! The `vote` block's default paragraphs in each of the 24 languages: what
//! an MEP did in a roll-call vote, said plainly (a campaign thanks, presses
//! or asks in `[wording] vote_for` and the others). Each is a small
//! Handlebars text: `{{roll_call.date}}` is the vote's long date in the
//! letter's language, `{{roll_call.title}}` its title. Where a language
//! marks the speaker's gender in the past tense and no neutral turn reads
//! naturally, both forms are written ("hlasoval(a)").

/// The paragraphs for an MEP who voted for, against, abstained, did not
/// vote, or was not in the Parliament then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VotePhrases {
    pub voted_for: &'static str,
    pub against: &'static str,
    pub abstention: &'static str,
    pub did_not_vote: &'static str,
    pub none: &'static str,
}

/// By language code, in the order of [`super::data::LANGUAGES`].
pub const VOTE_PHRASES: [(&str, VotePhrases); 24] = [
    (
        "bg",
        VotePhrases {
            voted_for: "На {{roll_call.date}} Вие гласувахте в подкрепа на „{{roll_call.title}}“.",
            against: "На {{roll_call.date}} Вие гласувахте против „{{roll_call.title}}“.",
            abstention: "На {{roll_call.date}} Вие се въздържахте при гласуването на „{{roll_call.title}}“.",
            did_not_vote: "На {{roll_call.date}} Вие не участвахте в гласуването на „{{roll_call.title}}“.",
            none: "На {{roll_call.date}} Европейският парламент гласува „{{roll_call.title}}“.",
        },
    ),
    (
        "cs",
        VotePhrases {
            voted_for: "Dne {{roll_call.date}} jste hlasoval(a) pro „{{roll_call.title}}“.",
            against: "Dne {{roll_call.date}} jste hlasoval(a) proti „{{roll_call.title}}“.",
            abstention: "Dne {{roll_call.date}} jste se zdržel(a) hlasování o „{{roll_call.title}}“.",
            did_not_vote: "Dne {{roll_call.date}} jste se nezúčastnil(a) hlasování o „{{roll_call.title}}“.",
            none: "Dne {{roll_call.date}} Evropský parlament hlasoval o „{{roll_call.title}}“.",
        },
    ),
    (
        "da",
        VotePhrases {
            voted_for: "Den {{roll_call.date}} stemte du for »{{roll_call.title}}«.",
            against: "Den {{roll_call.date}} stemte du imod »{{roll_call.title}}«.",
            abstention: "Den {{roll_call.date}} undlod du at stemme om »{{roll_call.title}}«.",
            did_not_vote: "Den {{roll_call.date}} deltog du ikke i afstemningen om »{{roll_call.title}}«.",
            none: "Den {{roll_call.date}} stemte Europa-Parlamentet om »{{roll_call.title}}«.",
        },
    ),
    (
        "de",
        VotePhrases {
            voted_for: "Am {{roll_call.date}} haben Sie für „{{roll_call.title}}“ gestimmt.",
            against: "Am {{roll_call.date}} haben Sie gegen „{{roll_call.title}}“ gestimmt.",
            abstention: "Am {{roll_call.date}} haben Sie sich bei der Abstimmung über „{{roll_call.title}}“ enthalten.",
            did_not_vote: "Am {{roll_call.date}} haben Sie an der Abstimmung über „{{roll_call.title}}“ nicht teilgenommen.",
            none: "Am {{roll_call.date}} hat das Europäische Parlament über „{{roll_call.title}}“ abgestimmt.",
        },
    ),
    (
        "el",
        VotePhrases {
            voted_for: "Στις {{roll_call.date}} ψηφίσατε υπέρ του «{{roll_call.title}}».",
            against: "Στις {{roll_call.date}} ψηφίσατε κατά του «{{roll_call.title}}».",
            abstention: "Στις {{roll_call.date}} απείχατε από την ψηφοφορία για το «{{roll_call.title}}».",
            did_not_vote: "Στις {{roll_call.date}} δεν συμμετείχατε στην ψηφοφορία για το «{{roll_call.title}}».",
            none: "Στις {{roll_call.date}} το Ευρωπαϊκό Κοινοβούλιο ψήφισε για το «{{roll_call.title}}».",
        },
    ),
    (
        "en",
        VotePhrases {
            voted_for: "On {{roll_call.date}}, you voted in favour of “{{roll_call.title}}”.",
            against: "On {{roll_call.date}}, you voted against “{{roll_call.title}}”.",
            abstention: "On {{roll_call.date}}, you abstained in the vote on “{{roll_call.title}}”.",
            did_not_vote: "On {{roll_call.date}}, you did not take part in the vote on “{{roll_call.title}}”.",
            none: "On {{roll_call.date}}, the European Parliament voted on “{{roll_call.title}}”.",
        },
    ),
    (
        "es",
        VotePhrases {
            voted_for: "El {{roll_call.date}}, usted votó a favor de «{{roll_call.title}}».",
            against: "El {{roll_call.date}}, usted votó en contra de «{{roll_call.title}}».",
            abstention: "El {{roll_call.date}}, usted se abstuvo en la votación sobre «{{roll_call.title}}».",
            did_not_vote: "El {{roll_call.date}}, usted no participó en la votación sobre «{{roll_call.title}}».",
            none: "El {{roll_call.date}}, el Parlamento Europeo votó sobre «{{roll_call.title}}».",
        },
    ),
    (
        "et",
        VotePhrases {
            voted_for: "{{roll_call.date}} hääletasite „{{roll_call.title}}“ poolt.",
            against: "{{roll_call.date}} hääletasite „{{roll_call.title}}“ vastu.",
            abstention: "{{roll_call.date}} jäite hääletusel „{{roll_call.title}}“ erapooletuks.",
            did_not_vote: "{{roll_call.date}} ei osalenud Te hääletusel „{{roll_call.title}}“.",
            none: "{{roll_call.date}} hääletas Euroopa Parlament „{{roll_call.title}}“ üle.",
        },
    ),
    (
        "fi",
        VotePhrases {
            voted_for: "Äänestitte {{roll_call.date}} ehdotuksen ”{{roll_call.title}}” puolesta.",
            against: "Äänestitte {{roll_call.date}} ehdotusta ”{{roll_call.title}}” vastaan.",
            abstention: "Pidätyitte {{roll_call.date}} äänestämästä asiasta ”{{roll_call.title}}”.",
            did_not_vote: "Ette osallistunut {{roll_call.date}} äänestykseen asiasta ”{{roll_call.title}}”.",
            none: "Euroopan parlamentti äänesti {{roll_call.date}} asiasta ”{{roll_call.title}}”.",
        },
    ),
    (
        "fr",
        VotePhrases {
            voted_for: "Le {{roll_call.date}}, vous avez voté pour «\u{a0}{{roll_call.title}}\u{a0}».",
            against: "Le {{roll_call.date}}, vous avez voté contre «\u{a0}{{roll_call.title}}\u{a0}».",
            abstention: "Le {{roll_call.date}}, lors du vote sur «\u{a0}{{roll_call.title}}\u{a0}», vous avez choisi l’abstention.",
            did_not_vote: "Le {{roll_call.date}}, vous n’avez pas pris part au vote sur «\u{a0}{{roll_call.title}}\u{a0}».",
            none: "Le {{roll_call.date}}, le Parlement européen a voté sur «\u{a0}{{roll_call.title}}\u{a0}».",
        },
    ),
    (
        "ga",
        VotePhrases {
            voted_for: "Ar an {{roll_call.date}}, vótáil tú ar son “{{roll_call.title}}”.",
            against: "Ar an {{roll_call.date}}, vótáil tú in aghaidh “{{roll_call.title}}”.",
            abstention: "Ar an {{roll_call.date}}, staon tú ón vóta ar “{{roll_call.title}}”.",
            did_not_vote: "Ar an {{roll_call.date}}, níor ghlac tú páirt sa vóta ar “{{roll_call.title}}”.",
            none: "Ar an {{roll_call.date}}, vótáil Parlaimint na hEorpa ar “{{roll_call.title}}”.",
        },
    ),
    (
        "hr",
        VotePhrases {
            voted_for: "Dana {{roll_call.date}} glasovali ste za „{{roll_call.title}}”.",
            against: "Dana {{roll_call.date}} glasovali ste protiv „{{roll_call.title}}”.",
            abstention: "Dana {{roll_call.date}} bili ste suzdržani pri glasovanju o „{{roll_call.title}}”.",
            did_not_vote: "Dana {{roll_call.date}} niste sudjelovali u glasovanju o „{{roll_call.title}}”.",
            none: "Dana {{roll_call.date}} Europski parlament glasovao je o „{{roll_call.title}}”.",
        },
    ),
    (
        "hu",
        VotePhrases {
            voted_for: "{{roll_call.date}} napján Ön igennel szavazott a következőről: „{{roll_call.title}}”.",
            against: "{{roll_call.date}} napján Ön nemmel szavazott a következőről: „{{roll_call.title}}”.",
            abstention: "{{roll_call.date}} napján Ön tartózkodott a következőről szóló szavazáson: „{{roll_call.title}}”.",
            did_not_vote: "{{roll_call.date}} napján Ön nem vett részt a következőről szóló szavazáson: „{{roll_call.title}}”.",
            none: "{{roll_call.date}} napján az Európai Parlament szavazott a következőről: „{{roll_call.title}}”.",
        },
    ),
    (
        "it",
        VotePhrases {
            voted_for: "Il {{roll_call.date}} ha votato a favore di «{{roll_call.title}}».",
            against: "Il {{roll_call.date}} ha votato contro «{{roll_call.title}}».",
            abstention: "Il {{roll_call.date}}, nella votazione su «{{roll_call.title}}», ha scelto l’astensione.",
            did_not_vote: "Il {{roll_call.date}} non ha preso parte alla votazione su «{{roll_call.title}}».",
            none: "Il {{roll_call.date}} il Parlamento europeo ha votato su «{{roll_call.title}}».",
        },
    ),
    (
        "lt",
        VotePhrases {
            voted_for: "{{roll_call.date}} balsavote už „{{roll_call.title}}“.",
            against: "{{roll_call.date}} balsavote prieš „{{roll_call.title}}“.",
            abstention: "{{roll_call.date}} susilaikėte balsuojant dėl „{{roll_call.title}}“.",
            did_not_vote: "{{roll_call.date}} nedalyvavote balsavime dėl „{{roll_call.title}}“.",
            none: "{{roll_call.date}} Europos Parlamentas balsavo dėl „{{roll_call.title}}“.",
        },
    ),
    (
        "lv",
        VotePhrases {
            voted_for: "{{roll_call.date}} Jūs balsojāt par „{{roll_call.title}}”.",
            against: "{{roll_call.date}} Jūs balsojāt pret „{{roll_call.title}}”.",
            abstention: "{{roll_call.date}} Jūs atturējāties balsojumā par „{{roll_call.title}}”.",
            did_not_vote: "{{roll_call.date}} Jūs nepiedalījāties balsojumā par „{{roll_call.title}}”.",
            none: "{{roll_call.date}} Eiropas Parlaments balsoja par „{{roll_call.title}}”.",
        },
    ),
    (
        "mt",
        VotePhrases {
            voted_for: "Nhar {{roll_call.date}} ivvutajt favur “{{roll_call.title}}”.",
            against: "Nhar {{roll_call.date}} ivvutajt kontra “{{roll_call.title}}”.",
            abstention: "Nhar {{roll_call.date}} astjenejt fil-vot dwar “{{roll_call.title}}”.",
            did_not_vote: "Nhar {{roll_call.date}} ma ħadtx sehem fil-vot dwar “{{roll_call.title}}”.",
            none: "Nhar {{roll_call.date}} il-Parlament Ewropew ivvota dwar “{{roll_call.title}}”.",
        },
    ),
    (
        "nl",
        VotePhrases {
            voted_for: "Op {{roll_call.date}} stemde u vóór “{{roll_call.title}}”.",
            against: "Op {{roll_call.date}} stemde u tegen “{{roll_call.title}}”.",
            abstention: "Op {{roll_call.date}} onthield u zich bij de stemming over “{{roll_call.title}}”.",
            did_not_vote: "Op {{roll_call.date}} nam u niet deel aan de stemming over “{{roll_call.title}}”.",
            none: "Op {{roll_call.date}} stemde het Europees Parlement over “{{roll_call.title}}”.",
        },
    ),
    (
        "pl",
        VotePhrases {
            voted_for: "W dniu {{roll_call.date}} głosował(a) Pan/Pani za „{{roll_call.title}}”.",
            against: "W dniu {{roll_call.date}} głosował(a) Pan/Pani przeciwko „{{roll_call.title}}”.",
            abstention: "W dniu {{roll_call.date}} wstrzymał(a) się Pan/Pani od głosu w głosowaniu nad „{{roll_call.title}}”.",
            did_not_vote: "W dniu {{roll_call.date}} nie wziął/wzięła Pan/Pani udziału w głosowaniu nad „{{roll_call.title}}”.",
            none: "W dniu {{roll_call.date}} Parlament Europejski głosował nad „{{roll_call.title}}”.",
        },
    ),
    (
        "pt",
        VotePhrases {
            voted_for: "Em {{roll_call.date}}, votou a favor de «{{roll_call.title}}».",
            against: "Em {{roll_call.date}}, votou contra «{{roll_call.title}}».",
            abstention: "Em {{roll_call.date}}, absteve-se na votação sobre «{{roll_call.title}}».",
            did_not_vote: "Em {{roll_call.date}}, não participou na votação sobre «{{roll_call.title}}».",
            none: "Em {{roll_call.date}}, o Parlamento Europeu votou sobre «{{roll_call.title}}».",
        },
    ),
    (
        "ro",
        VotePhrases {
            voted_for: "La {{roll_call.date}}, ați votat pentru „{{roll_call.title}}”.",
            against: "La {{roll_call.date}}, ați votat împotriva „{{roll_call.title}}”.",
            abstention: "La {{roll_call.date}}, v-ați abținut la votul privind „{{roll_call.title}}”.",
            did_not_vote: "La {{roll_call.date}}, nu ați participat la votul privind „{{roll_call.title}}”.",
            none: "La {{roll_call.date}}, Parlamentul European a votat privind „{{roll_call.title}}”.",
        },
    ),
    (
        "sk",
        VotePhrases {
            voted_for: "Dňa {{roll_call.date}} ste hlasovali za „{{roll_call.title}}“.",
            against: "Dňa {{roll_call.date}} ste hlasovali proti „{{roll_call.title}}“.",
            abstention: "Dňa {{roll_call.date}} ste sa zdržali hlasovania o „{{roll_call.title}}“.",
            did_not_vote: "Dňa {{roll_call.date}} ste sa nezúčastnili na hlasovaní o „{{roll_call.title}}“.",
            none: "Dňa {{roll_call.date}} Európsky parlament hlasoval o „{{roll_call.title}}“.",
        },
    ),
    (
        "sl",
        VotePhrases {
            voted_for: "Dne {{roll_call.date}} ste glasovali za „{{roll_call.title}}“.",
            against: "Dne {{roll_call.date}} ste glasovali proti „{{roll_call.title}}“.",
            abstention: "Dne {{roll_call.date}} ste se vzdržali pri glasovanju o „{{roll_call.title}}“.",
            did_not_vote: "Dne {{roll_call.date}} niste sodelovali pri glasovanju o „{{roll_call.title}}“.",
            none: "Dne {{roll_call.date}} je Evropski parlament glasoval o „{{roll_call.title}}“.",
        },
    ),
    (
        "sv",
        VotePhrases {
            voted_for: "Den {{roll_call.date}} röstade du för ”{{roll_call.title}}”.",
            against: "Den {{roll_call.date}} röstade du emot ”{{roll_call.title}}”.",
            abstention: "Den {{roll_call.date}} avstod du från att rösta om ”{{roll_call.title}}”.",
            did_not_vote: "Den {{roll_call.date}} deltog du inte i omröstningen om ”{{roll_call.title}}”.",
            none: "Den {{roll_call.date}} röstade Europaparlamentet om ”{{roll_call.title}}”.",
        },
    ),
];
