//! The preview's page view: the letter to the previewed MEP as the PDF
//! export lays it out (`render::pages`), page by page, drawn by typst on a
//! background job. The pages on screen stay until the next ones are ready;
//! a keystroke while a render runs waits for it and then asks for the
//! newest letter only.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use super::preview;
use crate::letter::Letter;
use crate::render::pages::{self, PageImage};
use crate::render::pdf::{Paper, PdfSettings};

/// How big the pages are drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Zoom {
    /// As wide as the preview.
    #[default]
    FitWidth,
    /// The printed size, at 96 pixels an inch.
    Actual,
}

/// What the pages are made of: a render is asked for when this changes.
#[derive(Debug, Clone, PartialEq)]
pub struct PageKey {
    /// (campaign generation, MEP id) of the letter.
    pub letter: (u64, String),
    pub paper: Paper,
    pub logo: Option<PathBuf>,
    /// Pixels per point, in thousandths.
    pub scale_milli: u32,
}

/// What the page view is asked to show this frame.
pub struct PageSource<'a> {
    pub letter: &'a Letter,
    pub letter_key: (u64, String),
    pub paper: Paper,
    pub logo: Option<PathBuf>,
}

/// A render asked of the page view's thread.
struct Request {
    key: PageKey,
    letter: Letter,
    /// The fingerprints of the pages on screen: those are not drawn again.
    known: Vec<u128>,
}

struct Rendered {
    key: PageKey,
    result: Result<Vec<DrawnPage>, String>,
    took: Duration,
}

/// A page of a render, as the screen takes it.
struct DrawnPage {
    fingerprint: u128,
    size_pt: egui::Vec2,
    /// The page's pixels, when it is not on screen already.
    image: Option<egui::ColorImage>,
}

/// The page view's thread, kept while the panel lives: one render at a
/// time. typst's memo of the layouts, kept between renders, is made and
/// freed by this one thread, and a keystroke starts no thread (with the
/// deep stack typst needs).
struct Worker {
    requests: Sender<Request>,
    done: Receiver<Rendered>,
    /// A render was asked for and has not come back.
    running: bool,
}

impl Worker {
    fn spawn(ctx: &egui::Context) -> Option<Self> {
        let (requests, asked) = channel::<Request>();
        let (tx, done) = channel();
        let ctx = ctx.clone();
        // Typst lays pages out recursively: it needs a deep stack.
        std::thread::Builder::new()
            .name("hemicycle-pages".to_owned())
            .stack_size(64 << 20)
            .spawn(move || {
                // Ends when the panel (and so `requests`) is dropped.
                while let Ok(request) = asked.recv() {
                    let start = Instant::now();
                    let result = render(&request);
                    let rendered = Rendered {
                        key: request.key,
                        result,
                        took: start.elapsed(),
                    };
                    if tx.send(rendered).is_err() {
                        break;
                    }
                    ctx.request_repaint();
                }
            })
            .ok()?;
        Some(Self {
            requests,
            done,
            running: false,
        })
    }
}

/// One page on screen: its texture only (its pixels went to the GPU).
struct Shown {
    fingerprint: u128,
    texture: egui::TextureHandle,
    size_pt: egui::Vec2,
}

/// The page view's state.
#[derive(Default)]
pub struct PagesPanel {
    /// The toggle: pages instead of the flowing text.
    pub on: bool,
    pub zoom: Zoom,
    /// The thread that draws the pages, started at the first render.
    worker: Option<Worker>,
    /// The newest request not started yet (a render was running).
    waiting: Option<(PageKey, Letter)>,
    /// The key of the last request started or waiting.
    asked: Option<PageKey>,
    shown: Vec<Shown>,
    /// The key of the pages on screen.
    shown_key: Option<PageKey>,
    /// Why the letter cannot be typeset, in words.
    error: Option<String>,
    /// Whether `on` was taken from the settings yet.
    pub(super) restored: bool,
    /// How long the last render took (for the figures).
    pub last_render: Option<Duration>,
    /// The widest the pages could be drawn, in points (the last frame's).
    width: f32,
}

impl PagesPanel {
    /// Whether a render runs or waits.
    pub fn busy(&self) -> bool {
        self.running() || self.waiting.is_some()
    }

    fn running(&self) -> bool {
        self.worker.as_ref().is_some_and(|w| w.running)
    }

    /// The key of the pages on screen, when they are for the newest letter
    /// asked for.
    pub fn current(&self) -> Option<&PageKey> {
        self.shown_key
            .as_ref()
            .filter(|k| Some(*k) == self.asked.as_ref() && !self.busy())
    }

    /// The MEP and campaign generation of the pages on screen.
    pub fn shown_for(&self) -> Option<&(u64, String)> {
        self.shown_key.as_ref().map(|k| &k.letter)
    }

    /// A fingerprint of each page on screen: its content and scale.
    pub fn page_fingerprints(&self) -> Vec<u128> {
        self.shown.iter().map(|s| s.fingerprint).collect()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Takes a finished render and starts the waiting one; every frame.
    pub fn poll(&mut self, ctx: &egui::Context) {
        if let Some(worker) = &mut self.worker
            && worker.running
        {
            match worker.done.try_recv() {
                Ok(done) => {
                    worker.running = false;
                    self.take(ctx, done);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    // The thread ended without a result: a bug in typst.
                    // The next render starts another.
                    self.worker = None;
                    self.error = Some("Drawing the pages stopped unexpectedly (a bug; please report it).".to_owned());
                }
            }
        }
        if !self.running()
            && let Some((key, letter)) = self.waiting.take()
        {
            self.start(ctx, key, letter);
        }
    }

    fn take(&mut self, ctx: &egui::Context, done: Rendered) {
        self.last_render = Some(done.took);
        match done.result {
            Ok(pages) => {
                let previous = std::mem::take(&mut self.shown);
                for page in pages {
                    let same = previous.iter().find(|s| s.fingerprint == page.fingerprint);
                    let texture = match (page.image, same) {
                        (Some(image), _) => ctx.load_texture("letter-page", image, egui::TextureOptions::LINEAR),
                        (None, Some(same)) => same.texture.clone(),
                        // Not drawn because it was on screen: it is.
                        (None, None) => continue,
                    };
                    self.shown.push(Shown {
                        fingerprint: page.fingerprint,
                        texture,
                        size_pt: page.size_pt,
                    });
                }
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
        self.shown_key = Some(done.key);
    }

    fn start(&mut self, ctx: &egui::Context, key: PageKey, letter: Letter) {
        if self.worker.is_none() {
            self.worker = Worker::spawn(ctx);
        }
        let Some(worker) = &mut self.worker else {
            self.error = Some("The pages cannot be drawn: the system refused to start a thread for them.".to_owned());
            return;
        };
        let known = self.shown.iter().map(|s| s.fingerprint).collect();
        if worker.requests.send(Request { key, letter, known }).is_ok() {
            worker.running = true;
        } else {
            // The thread is gone (it stopped on a bug); the next render
            // starts another.
            self.worker = None;
            self.error = Some("Drawing the pages stopped unexpectedly (a bug; please report it).".to_owned());
        }
    }

    /// Asks for the pages of `source` when they are not what is shown or
    /// asked for already.
    fn ask(&mut self, ctx: &egui::Context, source: &PageSource<'_>, pixels_per_point: f32) {
        let key = PageKey {
            letter: source.letter_key.clone(),
            paper: source.paper,
            logo: source.logo.clone(),
            scale_milli: self.scale_milli(source.paper, pixels_per_point),
        };
        if self.asked.as_ref() == Some(&key) {
            return;
        }
        self.asked = Some(key.clone());
        if self.running() {
            self.waiting = Some((key, source.letter.clone()));
        } else {
            self.start(ctx, key, source.letter.clone());
        }
    }

    /// Pixels per typographic point for the zoom, rounded up to a quarter
    /// so that a small change of the panel's width does not draw again.
    fn scale_milli(&self, paper: Paper, pixels_per_point: f32) -> u32 {
        let page_width_pt = match paper {
            Paper::A4 => 595.3,
            Paper::UsLetter => 612.0,
        };
        let points_per_pt = match self.zoom {
            Zoom::FitWidth => (self.width.max(200.0) / page_width_pt).min(3.0),
            Zoom::Actual => 96.0 / 72.0,
        };
        let pixels = (points_per_pt * pixels_per_point * 4.0).ceil().clamp(2.0, 16.0) / 4.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let milli = (pixels * 1000.0).round() as u32;
        milli
    }

    /// Draws the page view: its bar, the pages or why there are none.
    pub fn ui(&mut self, ui: &mut egui::Ui, source: Option<&PageSource<'_>>) {
        self.poll(ui.ctx());
        self.bar_ui(ui);
        ui.separator();
        if let Some(source) = source {
            self.ask(ui.ctx(), source, ui.ctx().pixels_per_point());
        }
        if let Some(e) = &self.error {
            preview::problem(
                ui,
                &format!("The pages cannot be laid out, so this letter cannot be exported as PDF either: {e}"),
            );
        }
        self.page_list_ui(ui);
    }

    fn bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.zoom, Zoom::FitWidth, "Fit width");
            ui.selectable_value(&mut self.zoom, Zoom::Actual, "100 %");
            let count = self.shown.len();
            if count > 0 {
                ui.label(if count == 1 {
                    "1 page".to_owned()
                } else {
                    format!("{count} pages")
                });
            }
            if self.busy() {
                ui.spinner();
                ui.label(RichText::new("updating").small().color(ui.visuals().weak_text_color()));
            }
        });
    }

    fn page_list_ui(&mut self, ui: &mut egui::Ui) {
        let count = self.shown.len();
        egui::ScrollArea::both()
            .id_salt("pages-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.width = ui.available_width() - 16.0;
                if self.shown.is_empty() && self.error.is_none() {
                    ui.spinner();
                }
                for (i, page) in self.shown.iter().enumerate() {
                    let points_per_pt = match self.zoom {
                        Zoom::FitWidth => self.width.max(200.0) / page.size_pt.x,
                        Zoom::Actual => 96.0 / 72.0,
                    };
                    let size = page.size_pt * points_per_pt;
                    egui::Frame::new()
                        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
                        .shadow(ui.visuals().popup_shadow)
                        .show(ui, |ui| {
                            ui.add(
                                egui::Image::new((page.texture.id(), size))
                                    .alt_text(format!("Page {} of {count}", i + 1)),
                            );
                        });
                    ui.add_space(12.0);
                }
            });
    }
}

/// The pages asked for, those drawn anew converted for the screen (here,
/// off the UI thread); the pixels typst drew are dropped once converted.
fn render(request: &Request) -> Result<Vec<DrawnPage>, String> {
    let key = &request.key;
    let logo = key.logo.as_deref().map(crate::deliver::export::read_logo).transpose()?;
    let settings = PdfSettings {
        paper: key.paper,
        // The pages of a PDF/A are laid out as those of any PDF.
        archival: false,
        logo,
    };
    #[allow(clippy::cast_precision_loss)]
    let scale = key.scale_milli as f32 / 1000.0;
    let pages = pages::draw(&request.letter, &settings, scale, &request.known).map_err(|e| e.to_string())?;
    Ok(pages
        .images
        .into_iter()
        .zip(pages.fingerprints)
        .zip(pages.sizes_pt)
        .map(|((image, fingerprint), (w, h))| DrawnPage {
            fingerprint,
            size_pt: egui::vec2(w, h),
            image: image.map(|image| color_image(&image)),
        })
        .collect())
}

fn color_image(image: &PageImage) -> egui::ColorImage {
    egui::ColorImage::from_rgba_premultiplied([image.width as usize, image.height as usize], &image.rgba)
}
