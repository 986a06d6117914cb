//! The letter's pages as typst lays them out: for the PDF
//! (`pdf::render_many` calls [`layout`]) and, as images, for the app's page
//! view ([`draw`]). Both go through the same world
//! (`pdf::world`: the template, the letter's data, the bundled fonts, the
//! paper and the logo), so the view shows the pages the PDF will have.
//!
//! [`layout`] also keeps a letter's closing formula and signature from
//! standing alone on its last page: the template marks where the body ends
//! (`<hemicycle-mark>`, "closing") and where each letter ends (its index);
//! a letter whose body ends on an earlier page than the letter is laid out
//! once more, tighter (`/tight.json`).

use std::time::{Duration, Instant};

use typst::foundations::{Bytes, Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::FrameItem;
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};

use typst::WorldExt;

use super::pdf::{LAYOUT, LetterWorld, PdfError, PdfSettings, describe, world};
use crate::letter::Letter;

/// Lays out the world's letters; a letter whose closing and signature
/// would stand alone on its last page is laid out again, tighter, and the
/// tighter layout is kept when it helps.
pub(super) fn layout(world: &mut LetterWorld) -> Result<PagedDocument, PdfError> {
    let document = compile(world)?;
    let alone = closings_alone(&document);
    if alone.is_empty() {
        return Ok(document);
    }
    world.tight = Bytes::new(serde_json::to_vec(&alone).unwrap_or_default());
    let tightened = compile(world)?;
    if closings_alone(&tightened).len() < alone.len() {
        Ok(tightened)
    } else {
        world.tight = Bytes::from_string("[]".to_owned());
        Ok(document)
    }
}

fn compile(world: &LetterWorld) -> Result<PagedDocument, PdfError> {
    typst::compile(world).output.map_err(|errors| {
        // An error at the template's `image("/logo", …)`: the logo's bytes
        // are no picture typst can read.
        let at_logo = errors.iter().any(|e| {
            world
                .range(e.span)
                .and_then(|range| LAYOUT.get(range))
                .is_some_and(|code| code.contains("\"/logo\""))
        });
        if at_logo {
            PdfError::Layout(format!(
                "the logo cannot be drawn ({}); choose a PNG, JPEG, GIF or SVG picture as the organisation's logo",
                describe(&errors)
            ))
        } else {
            PdfError::Layout(describe(&errors))
        }
    })
}

/// The letters (from 0) whose last page holds only what follows the body:
/// the closing formula and the signature, the closing's mark (which moves
/// with it) being the first thing on that page.
pub(super) fn closings_alone(document: &PagedDocument) -> Vec<usize> {
    let Some(label) = Label::new(PicoStr::intern("hemicycle-mark")) else {
        return Vec::new();
    };
    let introspector = document.introspector();
    let mut closing_starts_page = false;
    let mut alone = Vec::new();
    for mark in &introspector.query(&Selector::Label(label)) {
        let Some(meta) = mark.to_packed::<MetadataElem>() else {
            continue;
        };
        let position = mark.location().and_then(|l| introspector.position(l));
        match (&meta.value, position) {
            (Value::Str(s), Some(at)) if s.as_str() == "closing" => {
                closing_starts_page = at.page.get() > 1
                    && document
                        .pages()
                        .get(at.page.get() - 1)
                        .is_some_and(|page| starts_page(page, at.point.y.to_pt()));
            }
            (&Value::Int(letter), _) if std::mem::take(&mut closing_starts_page) => {
                alone.extend(usize::try_from(letter).ok());
            }
            _ => {}
        }
    }
    alone
}

/// Whether nothing on `page` stands above `y` (in points).
fn starts_page(page: &Page, y: f64) -> bool {
    let top = page
        .frame
        .items()
        .filter(|(_, item)| !matches!(item, FrameItem::Tag(_)))
        .map(|(at, _)| at.y.to_pt())
        .fold(f64::INFINITY, f64::min);
    y <= top + 0.5
}

/// One page as an image: premultiplied RGBA, `width` × `height` pixels.
#[derive(Debug)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// The pages of one letter, as the PDF will have them.
#[derive(Debug)]
pub struct Pages {
    /// Each page's image; `None` for a page the caller said it has
    /// (its fingerprint was among those it knew).
    pub images: Vec<Option<PageImage>>,
    /// Each page's fingerprint: its content and the scale it is drawn at.
    /// Two pages with the same fingerprint look the same.
    pub fingerprints: Vec<u128>,
    /// Each page's size in typographic points.
    pub sizes_pt: Vec<(f32, f32)>,
    /// typst's layout, and the drawing of the pages that changed.
    pub layout_time: Duration,
    pub draw_time: Duration,
}

/// How many renders a memoized layout survives unused: the last letter's
/// paragraphs stay for the next keystroke or MEP, and the paragraphs every
/// MEP's letter shares are used by every render. Each render older than
/// that costs memory and helps no keystroke.
const EVICT_AGE: usize = 2;

/// The pages of `letter` at `pixel_per_pt` (1.0: 72 pixels an inch), for
/// the app's page view. typst's memo of what it laid out is kept between
/// calls (a keystroke lays out again only the paragraph it changed, and
/// what moved after it); a page whose fingerprint is in `known` (the
/// caller has its image from an earlier call) is not drawn again. No
/// image is kept here: the caller holds the pages it shows, and nothing
/// else is held between calls but typst's memo, evicted after each call.
pub fn draw(letter: &Letter, settings: &PdfSettings, pixel_per_pt: f32, known: &[u128]) -> Result<Pages, PdfError> {
    let start = Instant::now();
    let mut world = world(std::slice::from_ref(letter), &letter.meta.subject, settings)?;
    let document = layout(&mut world);
    comemo::evict(EVICT_AGE);
    let document = document?;
    let layout_time = start.elapsed();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let scale_key = (pixel_per_pt.clamp(0.0, 100.0) * 1000.0).round() as u32;
    let options = typst_render::RenderOptions {
        pixel_per_pt: f64::from(pixel_per_pt).into(),
        render_bleed: false,
    };
    let mut images = Vec::new();
    let mut fingerprints = Vec::new();
    let mut sizes_pt = Vec::new();
    for page in document.pages() {
        let fingerprint = typst::utils::hash128(&(page, scale_key));
        images.push((!known.contains(&fingerprint)).then(|| {
            let pixmap = typst_render::render(page, &options);
            PageImage {
                width: pixmap.width(),
                height: pixmap.height(),
                rgba: pixmap.take(),
            }
        }));
        fingerprints.push(fingerprint);
        let size = page.frame.size();
        #[allow(clippy::cast_possible_truncation)]
        sizes_pt.push((size.x.to_pt() as f32, size.y.to_pt() as f32));
    }
    Ok(Pages {
        images,
        fingerprints,
        sizes_pt,
        layout_time,
        draw_time: start.elapsed().saturating_sub(layout_time),
    })
}
