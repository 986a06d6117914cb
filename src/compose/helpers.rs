//! Handlebars helpers and the Markdown escaping of data.
//!
//! Data (names, titles, addresses) is escaped for Markdown on its way into a
//! template, so a name with `*`, `[`, `@` or `<` appears as written and can
//! never start a citation, a link or emphasis. Demand bodies are Markdown by
//! design and are inserted with `{{{ }}}`.

use chrono::NaiveDate;
use handlebars::{
    Context, Handlebars, Helper, HelperResult, JsonRender, Output, RenderContext, RenderError, RenderErrorReason,
    handlebars_helper,
};
use serde_json::Value;

use crate::language::{Form, Language};

/// Escapes every ASCII punctuation character with a backslash (CommonMark
/// makes each of them literal that way) and folds line breaks into spaces.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\u{E000}'..='\u{E001}' => {}
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A long date in the letter's language: "26 April 2023", "30 januari 2023",
/// "26 avril 2023", "26. April 2023", "26 kwietnia 2023".
pub fn long_date(date: NaiveDate, language: &str) -> String {
    Language::of(language).long_date(date)
}

/// "1st", "1e", "1er", "1.".
pub fn ordinal(n: i64, language: &str) -> String {
    Language::of(language).ordinal(n)
}

/// The greeting of an MEP whose gender is not known, with the name as
/// letters write it.
pub fn salutation(name: &str, language: &str) -> String {
    Language::of(language).mep_salutation(Form::Neutral, name, "")
}

fn root_str<'a>(ctx: &'a Context, pointer: &str) -> &'a str {
    ctx.data().pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

/// Registers every helper on `registry`.
pub fn register(registry: &mut Handlebars<'_>) {
    registry.register_helper("cite", Box::new(cite));
    registry.register_helper("salutation", Box::new(salutation_helper));
    registry.register_helper("date", Box::new(date_helper));
    registry.register_helper("ordinal", Box::new(ordinal_helper));
    registry.register_helper("ref_no", Box::new(ref_no));
    registry.register_helper("committee_member", Box::new(committee_member));
    registry.register_helper("voted", Box::new(voted));
    registry.register_helper("join", Box::new(JoinHelper));
    registry.register_helper("upper", Box::new(upper));
    registry.register_helper("indent", Box::new(indent));
    registry.register_helper("first_paragraph", Box::new(first_paragraph));
}

/// `{{{indent body 3}}}`: Markdown with every line after the first indented,
/// so that a multi-paragraph demand stays inside its list item.
fn indent(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let text = h.param(0).map(|p| p.value().render()).unwrap_or_default();
    // At most 16 spaces: a list item needs 2 to 4; a huge number would only
    // exhaust the memory.
    let width = h.param(1).and_then(|p| p.value().as_u64()).unwrap_or(3).min(16);
    let pad = " ".repeat(usize::try_from(width).unwrap_or(3));
    let mut first = true;
    for line in text.trim().lines() {
        if !first {
            out.write("\n")?;
            if !line.trim().is_empty() {
                out.write(&pad)?;
            }
        }
        out.write(line)?;
        first = false;
    }
    Ok(())
}

/// `{{{first_paragraph body}}}`: the first paragraph of a Markdown text.
fn first_paragraph(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let text = h.param(0).map(|p| p.value().render()).unwrap_or_default();
    let first = text.trim().split("\n\n").next().unwrap_or_default();
    out.write(&first.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))?;
    Ok(())
}

handlebars_helper!(upper: |s: str| s.to_uppercase());

/// `{{cite "key"}}`, `{{cite "key" "Article 5"}}`: writes `[@key, Article 5]`.
fn cite(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let key = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("cite", 0))?;
    if key.is_empty() || key.contains([']', '[', ';', ' ']) {
        return Err(RenderErrorReason::Other(format!("\"{key}\" is not a citation key")).into());
    }
    match h.param(1).map(|p| p.value().render()) {
        Some(loc) if !loc.is_empty() => out.write(&format!("[@{key}, {}]", loc.replace([']', '['], "")))?,
        _ => out.write(&format!("[@{key}]"))?,
    }
    Ok(())
}

/// `{{salutation}}`: "Dear Kim van Sparrentak," in the campaign's language.
fn salutation_helper(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let language = root_str(ctx, "/campaign/language");
    match h.param(0).and_then(|p| p.value().as_str()) {
        Some(name) => out.write(&escape_markdown(&salutation(name, language)))?,
        // The letter's own greeting (already escaped): the campaign's
        // wording, a named addressee's, or one made from the names.
        None if !root_str(ctx, "/letter/salutation").is_empty() => out.write(root_str(ctx, "/letter/salutation"))?,
        None => out.write(&escape_markdown(&salutation(root_str(ctx, "/mep/name"), language)))?,
    }
    Ok(())
}

/// `{{date}}` (the letter's date) or `{{date "2023-04-26"}}`, localised.
fn date_helper(h: &Helper, _: &Handlebars, ctx: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let iso = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .unwrap_or_else(|| root_str(ctx, "/campaign/date"));
    let Ok(date) = NaiveDate::parse_from_str(iso, "%Y-%m-%d") else {
        return Err(RenderErrorReason::Other(format!("\"{iso}\" is not a date (YYYY-MM-DD)")).into());
    };
    let language = h
        .param(1)
        .and_then(|p| p.value().as_str())
        .unwrap_or_else(|| root_str(ctx, "/campaign/language"));
    out.write(&long_date(date, language))?;
    Ok(())
}

/// `{{ordinal 2}}` → "2nd".
fn ordinal_helper(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let n = h
        .param(0)
        .and_then(|p| p.value().as_i64())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("ordinal", 0))?;
    out.write(&ordinal(n, root_str(ctx, "/campaign/language")))?;
    Ok(())
}

/// `{{ref_no}}`: the letter's reference number.
fn ref_no(_: &Helper, _: &Handlebars, ctx: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    out.write(&escape_markdown(root_str(ctx, "/campaign/reference")))?;
    Ok(())
}

/// `{{#if (committee_member "LIBE")}}`, optionally `role="member"`: whether
/// the letter's MEP sits on that committee.
fn committee_member(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let code = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("committee_member", 0))?;
    let role = h.hash_get("role").and_then(|r| r.value().as_str());
    let seats = ctx.data().pointer("/mep/committees").and_then(Value::as_array);
    let member = seats.is_some_and(|seats| {
        seats.iter().any(|s| {
            s["code"].as_str().is_some_and(|c| c.eq_ignore_ascii_case(code))
                && role.is_none_or(|r| s["role"].as_str() == Some(r))
        })
    });
    // As a subexpression the output is read as a boolean: empty is false.
    if member {
        out.write("true")?;
    }
    Ok(())
}

/// `{{#if (voted "eprivacy" "against")}}`: whether the letter's MEP took
/// that position in the campaign's vote of that name (`for`, `against`,
/// `abstention`, `did-not-vote`, or `none`: not in the Parliament then).
/// A vote the campaign does not name, or a position outside the five, is
/// an error in words, not a silent "no".
fn voted(h: &Helper, _: &Handlebars, ctx: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let param = |i: usize| {
        h.param(i)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("voted", i))
    };
    let (name, position) = (param(0)?, param(1)?);
    if !crate::compose::votes::POSITIONS.contains(&position) {
        return Err(RenderErrorReason::Other(format!(
            "\"{position}\" is not a position; use one of {}",
            crate::compose::votes::POSITIONS.join(", ")
        ))
        .into());
    }
    let Some(vote) = ctx.data().get("vote").and_then(|v| v.get(name)) else {
        return Err(RenderErrorReason::Other(format!(
            "the campaign has no vote named \"{name}\"; name it under votes = [{{ name = \"{name}\", id = … }}]"
        ))
        .into());
    };
    if vote["position"].as_str() == Some(position) {
        out.write("true")?;
    }
    Ok(())
}

/// `{{join list}}` ("A, B and C" in the letter's language), `{{join list ", "}}`
/// or `{{join list ", " " and "}}`; objects are joined by their `name` field.
/// Items are escaped.
struct JoinHelper;

impl handlebars::HelperDef for JoinHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let list = h
            .param(0)
            .map(|p| p.value().clone())
            .ok_or_else(|| RenderError::from(RenderErrorReason::ParamNotFoundForIndex("join", 0)))?;
        let Value::Array(items) = list else {
            return Err(RenderErrorReason::InvalidParamType("a list").into());
        };
        let sep = h.param(1).and_then(|p| p.value().as_str()).unwrap_or(", ");
        // Without a word for the last item, the language's "and" when the
        // separator is the usual comma.
        let and = Language::of(root_str(ctx, "/campaign/language")).and();
        let default_last = if h.param(1).is_none() { and } else { sep };
        let last_sep = h.param(2).and_then(|p| p.value().as_str()).unwrap_or(default_last);
        let texts: Vec<String> = items
            .iter()
            .map(|v| match v {
                Value::Object(o) => o.get("name").map(JsonRender::render).unwrap_or_default(),
                other => other.render(),
            })
            .map(|t| escape_markdown(&t))
            .collect();
        let joined = match texts.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., final_item] => format!("{}{last_sep}{final_item}", init.join(sep)),
        };
        out.write(&joined)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_keeps_text() {
        assert_eq!(escape_markdown("A*B_[@x]"), r"A\*B\_\[\@x\]");
        assert_eq!(escape_markdown("Line\nbreak"), "Line break");
        assert_eq!(escape_markdown("Ó Ríordáin"), "Ó Ríordáin");
    }

    #[test]
    fn dates_are_localised_by_library() {
        let d = NaiveDate::from_ymd_opt(2023, 1, 30).unwrap();
        assert_eq!(long_date(d, "en"), "30 January 2023");
        assert_eq!(long_date(d, "nl"), "30 januari 2023");
        assert_eq!(long_date(d, "fr"), "30 janvier 2023");
        assert_eq!(long_date(d, "de"), "30. Januar 2023");
        let d = NaiveDate::from_ymd_opt(2023, 4, 26).unwrap();
        assert_eq!(long_date(d, "en"), "26 April 2023");
    }

    #[test]
    fn ordinals() {
        let en: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101]
            .iter()
            .map(|&n| ordinal(n, "en"))
            .collect();
        assert_eq!(
            en,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
            ]
        );
        assert_eq!(ordinal(1, "fr"), "1er");
        assert_eq!(ordinal(3, "nl"), "3e");
        assert_eq!(ordinal(3, "de"), "3.");
    }
}
