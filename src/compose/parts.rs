//! The pieces a letter is composed of beyond the template: who it is to
//! (MEPs and named addressees, one letter each or one for all), the
//! greeting, the co-signers as the campaign orders them, the press-release
//! fields and the demands' text as the layout asks.

use serde_json::{Value, json};

use super::genre::{self, Resolved, ToBlock};
use crate::campaign::{
    Addressee, AddresseeOrder, Campaign, CosignerKind, DemandBody, Mode, PartySuffix, SignatoryOrder,
};
use crate::directory::{Gender, Honorific, Mep};
use crate::language::{Form, Language};
use crate::letter::SignatoryGroup;

/// The id an addressee who is not in the directory goes by in journals and
/// file names: "addressee-henna-virkkunen".
pub fn addressee_id(a: &Addressee) -> String {
    format!("addressee-{}", crate::util::slug(&a.name))
}

/// An addressee as a recipient record: the name, no country or group, the
/// e-mail the campaign gives.
pub fn addressee_record(a: &Addressee) -> Mep {
    Mep {
        id: addressee_id(a),
        full_name: a.name.clone(),
        given_name: String::new(),
        family_name: a.name.clone(),
        country: String::new(),
        group: String::new(),
        national_party: None,
        email: Some(a.email.trim().to_owned()).filter(|e| !e.is_empty()),
        email_is_guess: false,
        committees: Vec::new(),
        committees_known: false,
        languages: Vec::new(),
        gender: None,
        honorific: None,
    }
}

/// The campaign's named addressee behind a recipient record, if it is one.
pub fn addressee_of<'c>(campaign: &'c Campaign, mep: &Mep) -> Option<&'c Addressee> {
    campaign
        .recipients
        .addressees
        .iter()
        .find(|a| addressee_id(a) == mep.id)
}

/// How a recipient is named in the To block: a named addressee with their
/// title and role, an MEP as the layout's To options say.
pub fn to_line(campaign: &Campaign, mep: &Mep, to: ToBlock) -> String {
    match addressee_of(campaign, mep) {
        Some(a) => a.address_lines().join(", "),
        None => mep_line(mep, to, campaign.letter_language()),
    }
}

/// An MEP in the To block: "Mr Dragoş Tudorache (Renew), Member of the
/// European Parliament" — the honorific the directory records, in the
/// letter's language (none when it records none), the party, the title in
/// the form of the recorded gender — each only when `to` asks for it.
pub fn mep_line(mep: &Mep, to: ToBlock, language: Language) -> String {
    let name = mep.display_name();
    let mut line = if to.honorific {
        language.with_honorific(honorific_form(mep), &name)
    } else {
        name
    };
    if let Some(party) = party_of(mep, to.party) {
        line = format!("{line} ({party})");
    }
    if to.role {
        line = format!("{line}, {}", language.member_title(form_of(mep)));
    }
    line
}

/// The party the To block names after an MEP, if the directory has it.
pub fn party_of(mep: &Mep, suffix: PartySuffix) -> Option<&str> {
    let party = match suffix {
        PartySuffix::None => return None,
        PartySuffix::Group => mep.group.as_str(),
        PartySuffix::National => mep.national_party.as_deref().unwrap_or_default(),
    };
    Some(party.trim()).filter(|p| !p.is_empty())
}

/// The honorific the directory records, as a form of address: "Ms" a
/// woman's, "Mr" a man's, none the neutral form (no honorific at all).
pub fn honorific_form(mep: &Mep) -> Form {
    match mep.honorific {
        Some(Honorific::Ms) => Form::Female,
        Some(Honorific::Mr) => Form::Male,
        None => Form::Neutral,
    }
}

/// The recipients of one letter in the order the To block lists them:
/// MEPs, then named addressees, or the other way round, each in the order
/// given.
pub fn in_order<'m>(campaign: &Campaign, all: &[&'m Mep], order: AddresseeOrder) -> Vec<&'m Mep> {
    let (named, meps): (Vec<&Mep>, Vec<&Mep>) = all.iter().partition(|m| addressee_of(campaign, m).is_some());
    match order {
        AddresseeOrder::MepsFirst => meps.into_iter().chain(named).collect(),
        AddresseeOrder::AddresseesFirst => named.into_iter().chain(meps).collect(),
    }
}

/// The name a greeting uses: an addressee's with their title.
fn greeting_name(campaign: &Campaign, mep: &Mep) -> String {
    addressee_of(campaign, mep).map_or_else(|| mep.display_name(), Addressee::display_name)
}

/// How the letter greets an MEP: by the gender the directory records, or
/// neutrally when it records none or "not known".
pub fn form_of(mep: &Mep) -> Form {
    match mep.gender {
        Some(Gender::Female) => Form::Female,
        Some(Gender::Male) => Form::Male,
        Some(Gender::NotKnown) | None => Form::Neutral,
    }
}

/// The greeting for one recipient, in the letter's language: an MEP as a
/// Member, a named addressee by their own greeting or as a person.
pub fn salutation_for(campaign: &Campaign, mep: &Mep) -> String {
    let language = campaign.letter_language();
    match addressee_of(campaign, mep) {
        Some(a) if !a.salutation.trim().is_empty() => a.salutation.trim().to_owned(),
        Some(a) => language.person_salutation(&a.display_name()),
        None => language.mep_salutation(form_of(mep), &mep.display_name(), &mep.family_name),
    }
}

/// The greeting of one letter to several people: each named where the
/// language greets by name ("Dear A, B and C,"), the plural formula
/// otherwise (of Members when all are MEPs). Those in Cc are not greeted
/// (unless everyone is).
pub fn salutation_for_all(campaign: &Campaign, recipients: &[&Mep], order: AddresseeOrder) -> String {
    let recipients = &in_order(campaign, recipients, order)[..];
    let to: Vec<&Mep> = recipients
        .iter()
        .copied()
        .filter(|m| !addressee_of(campaign, m).is_some_and(|a| a.cc))
        .collect();
    let recipients = if to.is_empty() { recipients } else { &to[..] };
    match recipients {
        [] => String::new(),
        [one] => salutation_for(campaign, one),
        several => {
            let names: Vec<String> = several.iter().map(|m| greeting_name(campaign, m)).collect();
            let all_meps = several.iter().all(|m| addressee_of(campaign, m).is_none());
            campaign.letter_language().salutation_many(&names, all_meps)
        }
    }
}

/// The To and Cc lines of a letter: for one letter per recipient, the
/// recipient (when `address_mep`) and the campaign's extra lines; for one
/// letter to all, every recipient in To or Cc, in the layout's order.
pub fn to_and_cc(campaign: &Campaign, mep: &Mep, all: &[&Mep], options: ToBlock) -> (Vec<String>, Vec<String>) {
    let r = &campaign.recipients;
    let mut to = Vec::new();
    let mut cc = Vec::new();
    match r.mode {
        Mode::PerRecipient => {
            if r.address_mep {
                to.push(to_line(campaign, mep, options));
            }
        }
        Mode::OneLetter => {
            for m in in_order(campaign, all, options.order) {
                let line = to_line(campaign, m, options);
                if addressee_of(campaign, m).is_some_and(|a| a.cc) {
                    cc.push(line);
                } else {
                    to.push(line);
                }
            }
        }
    }
    to.extend(r.to.iter().cloned());
    cc.extend(r.cc.iter().cloned());
    (to, cc)
}

/// Co-signers under their headings (in first-seen order): organisations as
/// "Name (BE)" when the campaign shows countries, people as "Name, role".
/// People without a heading of their own are listed under `individuals`,
/// apart from organisations.
pub fn cosigner_groups(campaign: &Campaign, individuals: &str) -> Vec<SignatoryGroup> {
    let options = &campaign.signatories;
    let mut groups: Vec<SignatoryGroup> = Vec::new();
    for c in &campaign.cosigners {
        let (name, heading) = match c.kind {
            CosignerKind::Organisation => {
                let name = if c.country.trim().is_empty() || !options.show_country {
                    c.name.clone()
                } else {
                    format!("{} ({})", c.name, c.country.trim())
                };
                (name, c.group.clone())
            }
            CosignerKind::Person => {
                let name = if c.role.trim().is_empty() {
                    c.name.clone()
                } else {
                    format!("{}, {}", c.name, c.role.trim())
                };
                let heading = if c.group.trim().is_empty() {
                    individuals.to_owned()
                } else {
                    c.group.clone()
                };
                (name, heading)
            }
        };
        match groups.iter_mut().find(|g| g.heading == heading) {
            Some(g) => g.names.push(name),
            None => groups.push(SignatoryGroup {
                heading,
                names: vec![name],
            }),
        }
    }
    if options.order == SignatoryOrder::Sorted {
        for g in &mut groups {
            g.names.sort_by_key(|n| crate::directory::query::fold(n));
        }
    }
    groups
}

/// The first paragraph of a Markdown text, its lines joined.
pub fn first_paragraph(text: &str) -> String {
    let first = text.trim().split("\n\n").next().unwrap_or_default();
    first.split('\n').map(str::trim).collect::<Vec<_>>().join(" ")
}

/// A demand's text as the layout shows it.
pub fn demand_text(body: &str, shown: DemandBody) -> String {
    match shown {
        DemandBody::Full => body.trim().to_owned(),
        DemandBody::FirstParagraph => first_paragraph(body),
        DemandBody::None => String::new(),
    }
}

/// The `layout` data a template sees.
pub fn layout_data(layout: &Resolved) -> Value {
    json!({
        "demands": genre::demand_style_name(layout.demands),
        "demand_body": match layout.demand_body {
            DemandBody::Full => "full",
            DemandBody::FirstParagraph => "first-paragraph",
            DemandBody::None => "none",
        },
        // Short items make a tight list; full bodies need air between items.
        "tight": layout.demand_body != DemandBody::Full,
    })
}

/// The `press` data a template sees: the headline (the subject unless the
/// campaign gives one), numbered notes to editors, quotes and contacts.
/// Quotes from the older `vars.quote` and `vars.quote_by` still count.
pub fn press_data(campaign: &Campaign, subject: &str) -> Value {
    let p = &campaign.press;
    let mut quotes: Vec<Value> = p
        .quotes
        .iter()
        .map(|q| json!({"speaker": q.speaker, "role": q.role, "organisation": q.organisation, "text": q.text}))
        .collect();
    if quotes.is_empty()
        && let Some(text) = campaign.vars.get("quote").and_then(toml::Value::as_str)
    {
        let speaker = campaign
            .vars
            .get("quote_by")
            .and_then(toml::Value::as_str)
            .unwrap_or_default();
        quotes.push(json!({"speaker": speaker, "role": "", "organisation": "", "text": text}));
    }
    let notes: Vec<Value> = p
        .notes_to_editors
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"number": i + 1, "text": n.trim()}))
        .collect();
    let mut contacts: Vec<Value> = p
        .contacts
        .iter()
        .map(|c| {
            json!({"name": c.name, "role": c.role, "organisation": c.organisation, "phone": c.phone, "email": c.email})
        })
        .collect();
    // Without contacts of its own, a press release names each sending
    // organisation's signatory, at the organisation's address.
    if contacts.is_empty() {
        contacts = std::iter::once(&campaign.organisation)
            .chain(&campaign.organisations)
            .filter(|o| !o.signatory.name.trim().is_empty())
            .map(|o| {
                json!({"name": o.signatory.name, "role": o.signatory.role, "organisation": o.name,
                       "phone": "", "email": o.email})
            })
            .collect();
    }
    json!({
        "headline": if p.headline.trim().is_empty() { subject } else { p.headline.trim() },
        "embargo": p.embargo,
        "end_mark": p.end_mark,
        "quotes": quotes,
        "notes_to_editors": notes,
        "contacts": contacts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::Cosigner;

    fn campaign() -> Campaign {
        Campaign::new("Test", "joint-letter")
    }

    fn cosigner(name: &str, country: &str, group: &str, kind: CosignerKind, role: &str) -> Cosigner {
        Cosigner {
            name: name.into(),
            country: country.into(),
            group: group.into(),
            kind,
            role: role.into(),
            ..Cosigner::default()
        }
    }

    #[test]
    fn cosigners_in_given_or_sorted_order_people_apart_countries_optional() {
        let mut c = campaign();
        c.cosigners = vec![
            cosigner("Zeta Rights", "BE", "Members", CosignerKind::Organisation, ""),
            cosigner("Alpha Lab", "", "Members", CosignerKind::Organisation, ""),
            cosigner("Dr Ana Example", "PT", "", CosignerKind::Person, "Professor of Law"),
        ];
        let groups = cosigner_groups(&c, "Individuals");
        assert_eq!(groups[0].names, ["Alpha Lab", "Zeta Rights (BE)"]);
        assert_eq!(groups[1].heading, "Individuals");
        assert_eq!(groups[1].names, ["Dr Ana Example, Professor of Law"]);
        c.signatories.order = SignatoryOrder::Given;
        c.signatories.show_country = false;
        let groups = cosigner_groups(&c, "Individuals");
        assert_eq!(groups[0].names, ["Zeta Rights", "Alpha Lab"]);
    }

    #[test]
    fn addressees_have_stable_ids_lines_and_greetings() {
        let mut c = campaign();
        let a = Addressee {
            title: "Executive Vice-President".into(),
            name: "Henna Virkkunen".into(),
            role: "European Commission".into(),
            email: " hv@example.org ".into(),
            ..Addressee::default()
        };
        c.recipients.addressees = vec![a.clone()];
        let rec = addressee_record(&a);
        assert_eq!(rec.id, "addressee-henna-virkkunen");
        assert_eq!(rec.email.as_deref(), Some("hv@example.org"));
        assert_eq!(
            to_line(&c, &rec, ToBlock::default()),
            "Executive Vice-President Henna Virkkunen, European Commission"
        );
        assert_eq!(
            salutation_for(&c, &rec),
            "Dear Executive Vice-President Henna Virkkunen,"
        );
        c.recipients.addressees[0].salutation = "Dear Executive Vice-President,".into();
        assert_eq!(salutation_for(&c, &rec), "Dear Executive Vice-President,");
    }

    fn mep(honorific: Option<Honorific>, gender: Option<Gender>) -> Mep {
        Mep {
            given_name: "Dragoş".into(),
            family_name: "Tudorache".into(),
            group: "Renew".into(),
            national_party: Some(" Partidul Național Liberal ".into()),
            honorific,
            gender,
            id: "1".into(),
            ..addressee_record(&Addressee::default())
        }
    }

    #[test]
    fn an_mep_in_the_to_block_as_the_layout_asks() {
        let en = Language::ENGLISH;
        let de = Language::parse("de").unwrap();
        let m = mep(Some(Honorific::Mr), Some(Gender::Male));
        let mut to = ToBlock::default();
        assert_eq!(mep_line(&m, to, en), "Dragoş Tudorache");
        to.honorific = true;
        to.role = true;
        assert_eq!(
            mep_line(&m, to, en),
            "Mr Dragoş Tudorache, Member of the European Parliament"
        );
        assert_eq!(
            mep_line(&m, to, de),
            "Herr Dragoş Tudorache, Mitglied des Europäischen Parlaments"
        );
        to.party = PartySuffix::Group;
        assert_eq!(
            mep_line(&m, to, en),
            "Mr Dragoş Tudorache (Renew), Member of the European Parliament"
        );
        to.party = PartySuffix::National;
        to.role = false;
        assert_eq!(mep_line(&m, to, en), "Mr Dragoş Tudorache (Partidul Național Liberal)");
        // Nothing recorded: the name alone, the generic title, no party.
        let mut none = mep(None, None);
        none.national_party = Some("  ".into());
        to.role = true;
        let fr = Language::parse("fr").unwrap();
        assert_eq!(
            mep_line(&none, to, fr),
            "Dragoş Tudorache, député au Parlement européen"
        );
        let woman = mep(Some(Honorific::Ms), Some(Gender::Female));
        to.party = PartySuffix::None;
        assert_eq!(
            mep_line(&woman, to, fr),
            "Mme Dragoş Tudorache, députée au Parlement européen"
        );
    }

    #[test]
    fn named_addressees_before_or_after_the_meps() {
        let mut c = campaign();
        let a = Addressee {
            name: "Henna Virkkunen".into(),
            ..Addressee::default()
        };
        c.recipients.addressees = vec![a.clone()];
        let named = addressee_record(&a);
        let m1 = mep(None, None);
        let mut m2 = mep(None, None);
        m2.id = "2".into();
        let all = [&m1, &named, &m2];
        let ids = |v: Vec<&Mep>| v.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(in_order(&c, &all, AddresseeOrder::MepsFirst)),
            [m1.id.clone(), "2".into(), named.id.clone()]
        );
        assert_eq!(
            ids(in_order(&c, &all, AddresseeOrder::AddresseesFirst)),
            [named.id.clone(), m1.id.clone(), "2".into()]
        );
    }

    #[test]
    fn demand_text_follows_the_layout() {
        let body = "First line\nof the first.\n\nSecond paragraph.";
        assert_eq!(
            demand_text(body, DemandBody::FirstParagraph),
            "First line of the first."
        );
        assert_eq!(demand_text(body, DemandBody::Full), body);
        assert_eq!(demand_text(body, DemandBody::None), "");
    }
}
