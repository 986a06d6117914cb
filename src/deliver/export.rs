//! Batch export: every recipient × every format, into a folder or one ZIP,
//! spread over all cores, with progress and cancellation. Every file is
//! written whole (temporary file, then rename) or not at all; one letter
//! failing does not stop the others, and the report says why it failed.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::NaiveDate;

use super::names::{self, Unique};
use crate::compose::Composer;
use crate::directory::Mep;
use crate::letter::Letter;
use crate::render::{self, docx, eml, pdf};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Pdf,
    Docx,
    Eml,
    Html,
    Md,
    Txt,
}

impl Format {
    /// Every format, in the order the app and the help list them.
    pub const ALL: [Format; 6] = [
        Format::Pdf,
        Format::Docx,
        Format::Eml,
        Format::Html,
        Format::Md,
        Format::Txt,
    ];

    /// The file extension, which is also its name on the command line.
    pub fn ext(self) -> &'static str {
        self.facts().0
    }

    /// Its name for people: "Word (DOCX)".
    pub fn label(self) -> &'static str {
        self.facts().1
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        self.facts().2
    }

    /// Bytes that are not text (and must not be printed to a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Pdf | Format::Docx)
    }

    /// (extension, label, MIME type, other names it is known by).
    fn facts(self) -> (&'static str, &'static str, &'static str, &'static [&'static str]) {
        match self {
            Format::Pdf => ("pdf", "PDF", "application/pdf", &[]),
            Format::Docx => (
                "docx",
                "Word (DOCX)",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                &["word"],
            ),
            Format::Eml => ("eml", "E-mail (.eml)", "message/rfc822", &["email", "e-mail"]),
            Format::Html => ("html", "Web page (HTML)", "text/html", &["htm"]),
            Format::Md => ("md", "Markdown", "text/markdown", &["markdown"]),
            Format::Txt => ("txt", "Text", "text/plain", &["text"]),
        }
    }

    /// Its extension or one of its other names ("word", "markdown", "text"),
    /// in any case.
    pub fn parse(text: &str) -> Option<Format> {
        let text = text.trim().to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| {
            let (ext, _, _, aliases) = f.facts();
            ext == text || aliases.contains(&text.as_str())
        })
    }

    /// "pdf, docx, eml, html, md or txt", for messages.
    pub fn choices() -> String {
        let exts: Vec<&str> = Format::ALL.iter().map(|f| f.ext()).collect();
        match exts.split_last() {
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// Parses a format for the command line, with the allowed ones in the
    /// error.
    pub fn from_arg(text: &str) -> Result<Format, String> {
        Format::parse(text).ok_or_else(|| format!("\"{text}\" is not a format; use {}", Format::choices()))
    }
}

/// Where the campaign's logo is, if it names one.
pub fn logo_path(composer: &Composer) -> Option<PathBuf> {
    let logo = composer.campaign.organisation.logo.as_ref()?;
    Some(crate::campaign::resolve(&composer.path, logo))
}

/// The logo's bytes, or why they could not be read, in words.
pub fn read_logo(path: &std::path::Path) -> Result<Vec<u8>, String> {
    crate::store::read_bounded(path, crate::store::limits::LOGO, "the logo").map_err(|e| {
        format!(
            "the logo could not be read ({e}); check the path in the campaign: {}",
            path.display()
        )
    })
}

/// The sender of exported e-mails: the signatory at the organisation's address.
pub fn eml_settings(composer: &Composer, draft: bool, attach: bool) -> eml::EmlSettings {
    let org = &composer.campaign.organisation;
    eml::EmlSettings {
        // Trimmed: a space typed after the address made every letter fail.
        from_name: if org.signatory.name.trim().is_empty() {
            org.name.trim().to_owned()
        } else {
            org.signatory.name.trim().to_owned()
        },
        from_email: org.email.trim().to_owned(),
        reply_to: None,
        draft,
        // Filled in for each letter with its PDF (see `render_one`).
        attachment: attach.then(|| (String::new(), Vec::new())),
        date: None,
    }
}

/// What to export, and how.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub formats: Vec<Format>,
    /// The folder (or, with `zip`, the ZIP file's folder).
    pub out_dir: PathBuf,
    /// Write one ZIP file with this name in `out_dir` instead of loose files.
    pub zip_name: Option<String>,
    /// File names: see [`names::fill`].
    pub pattern: String,
    /// Also one PDF with every letter, for printing a stack.
    pub combined_pdf: bool,
    pub pdf: pdf::PdfSettings,
    pub eml: eml::EmlSettings,
    /// The letters' date when the campaign sets none.
    pub today: NaiveDate,
}

/// Where the export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// What was written and what failed.
#[derive(Debug, Default)]
pub struct ExportReport {
    pub written: Vec<PathBuf>,
    /// MEP (name and id), format, reason.
    pub failed: Vec<(String, Option<Format>, String)>,
    pub warnings: Vec<String>,
    pub cancelled: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not create the export folder ({source}); choose a folder you can write to: {}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Write(#[from] crate::store::WriteError),
    #[error("could not start the export threads: {0}")]
    Threads(String),
    #[error("could not write the ZIP file: {0}")]
    Zip(String),
}

/// One rendered file, waiting to be written.
struct Output {
    name: String,
    bytes: Vec<u8>,
}

/// Exports the letters of `meps`.
pub fn export(
    composer: &Composer,
    meps: &[&Mep],
    options: &ExportOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<ExportReport, ExportError> {
    std::fs::create_dir_all(&options.out_dir).map_err(|source| ExportError::Folder {
        path: options.out_dir.clone(),
        source,
    })?;
    let mut report = ExportReport::default();
    let mut pdf_settings = options.pdf.clone();
    if pdf_settings.logo.is_none() {
        pdf_settings.logo = load_logo(composer, &mut report.warnings);
    }
    // One letter to all addressees: one file per format, named after the
    // campaign, its To and Cc naming everyone.
    let everyone = meps;
    let one_letter = composer.campaign.recipients.mode == crate::campaign::Mode::OneLetter;
    let meps = if one_letter { &meps[..meps.len().min(1)] } else { meps };
    // Names are decided up front, in recipient order, so they do not depend
    // on which thread finishes first.
    let mut unique = Unique::default();
    let planned: Vec<Vec<(Format, String)>> = meps
        .iter()
        .enumerate()
        .map(|(i, mep)| {
            let stem = if one_letter {
                names::sanitize(&composer.campaign.title)
            } else {
                names::fill(&options.pattern, mep, i + 1)
            };
            options
                .formats
                .iter()
                .map(|&f| (f, unique.name(&stem, f.ext())))
                .collect()
        })
        .collect();
    let run = Run {
        composer,
        everyone,
        options,
        pdf_settings: &pdf_settings,
        planned: &planned,
        total: meps.len() * options.formats.len(),
        done: AtomicUsize::new(0),
        progress,
        cancel,
        failures: Mutex::default(),
        outputs: Mutex::default(),
        written: Mutex::default(),
        letters: Mutex::default(),
    };
    // Letters of one language made one after another find typst's layouts
    // of their paragraphs still cached (a stable sort: the names above
    // already fixed, the output does not change).
    let mut order: Vec<usize> = (0..meps.len()).collect();
    order.sort_by_key(|&i| composer.language_of(meps[i]));
    run_workers(
        meps.len(),
        &|k, files| run.one(order[k], meps[order[k]], files),
        &|file| run.write(file),
    )?;
    // The files' names, durable at once rather than after each file.
    crate::store::sync_folder(&options.out_dir);
    report.failed = take(run.failures);
    report.failed.sort();
    report.written = take(run.written);
    report.cancelled = cancel.load(Ordering::Relaxed);
    if !report.cancelled {
        let letters = take(run.letters);
        let outputs = take(run.outputs);
        finish(
            composer,
            options,
            &pdf_settings,
            letters,
            outputs,
            &mut unique,
            &mut report,
        )?;
    }
    // Files already written are whole; a cancelled export leaves no
    // half-written file and no ZIP.
    report.written.sort();
    Ok(report)
}

fn load_logo(composer: &Composer, warnings: &mut Vec<String>) -> Option<Vec<u8>> {
    match read_logo(&logo_path(composer)?) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            warnings.push(format!("{e} (the PDFs have none)"));
            None
        }
    }
}

/// The shared state of one export run.
struct Run<'a> {
    composer: &'a Composer,
    /// Every recipient, for a letter to all of them.
    everyone: &'a [&'a Mep],
    options: &'a ExportOptions,
    pdf_settings: &'a pdf::PdfSettings,
    planned: &'a [Vec<(Format, String)>],
    total: usize,
    done: AtomicUsize,
    progress: &'a (dyn Fn(Progress) + Sync),
    cancel: &'a AtomicBool,
    failures: Mutex<Vec<(String, Option<Format>, String)>>,
    outputs: Mutex<Vec<Output>>,
    written: Mutex<Vec<PathBuf>>,
    letters: Mutex<Vec<(usize, Letter)>>,
}

impl Run<'_> {
    fn tick(&self, n: usize) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        (self.progress)(Progress {
            done,
            total: self.total,
        });
    }

    /// Every file of one MEP, into `files` to be written.
    fn one(&self, i: usize, mep: &Mep, files: &mut Vec<ToWrite>) {
        if self.cancel.load(Ordering::Relaxed) {
            return;
        }
        let who = format!("{} ({})", mep.display_name(), mep.id);
        let letter = match self.composer.letter_to_all(mep, i, self.options.today, self.everyone) {
            Ok(l) => l,
            Err(e) => {
                push(&self.failures, (who, None, e.to_string()));
                self.tick(self.options.formats.len());
                return;
            }
        };
        for (format, name) in &self.planned[i] {
            if self.cancel.load(Ordering::Relaxed) {
                return;
            }
            match render_one(&letter, mep, *format, self.pdf_settings, &self.options.eml) {
                Ok(bytes) if self.options.zip_name.is_some() => push(
                    &self.outputs,
                    Output {
                        name: name.clone(),
                        bytes,
                    },
                ),
                Ok(bytes) => {
                    // Written by the writer thread, which ticks.
                    files.push(ToWrite {
                        path: self.options.out_dir.join(name),
                        bytes,
                        who: who.clone(),
                        format: *format,
                    });
                    continue;
                }
                Err(reason) => push(&self.failures, (who.clone(), Some(*format), reason)),
            }
            self.tick(1);
        }
        if self.options.combined_pdf {
            push(&self.letters, (i, letter));
        }
    }

    /// Writes one file; on the writer thread.
    fn write(&self, file: ToWrite) {
        match crate::store::write_one_of_many(&file.path, &file.bytes, "the letter") {
            Ok(()) => push(&self.written, file.path),
            Err(e) => push(&self.failures, (file.who, Some(file.format), e.to_string())),
        }
        self.tick(1);
    }
}

/// A letter's file, made and waiting to be written.
struct ToWrite {
    path: PathBuf,
    bytes: Vec<u8>,
    who: String,
    format: Format,
}

/// The combined PDF and the ZIP file, once every letter is done.
fn finish(
    composer: &Composer,
    options: &ExportOptions,
    pdf_settings: &pdf::PdfSettings,
    mut letters: Vec<(usize, Letter)>,
    mut outputs: Vec<Output>,
    unique: &mut Unique,
    report: &mut ExportReport,
) -> Result<(), ExportError> {
    if options.combined_pdf {
        letters.sort_by_key(|(i, _)| *i);
        let letters: Vec<Letter> = letters.into_iter().map(|(_, l)| l).collect();
        match pdf::render_many(&letters, &composer.campaign.title, pdf_settings) {
            Ok(bytes) => {
                let name = unique.name(
                    &names::sanitize(&format!("all-letters-{}", composer.campaign.title)),
                    "pdf",
                );
                if options.zip_name.is_some() {
                    outputs.push(Output { name, bytes });
                } else {
                    let path = options.out_dir.join(&name);
                    crate::store::write_replacing(&path, &bytes, "the combined PDF")?;
                    report.written.push(path);
                }
            }
            Err(e) => report
                .failed
                .push(("all letters".into(), Some(Format::Pdf), e.to_string())),
        }
    }
    if let Some(zip_name) = &options.zip_name {
        outputs.sort_by(|a, b| a.name.cmp(&b.name));
        let path = options.out_dir.join(zip_name);
        let bytes = zip_files(&outputs)?;
        crate::store::write_replacing(&path, &bytes, "the ZIP file")?;
        report.written.push(path);
    }
    Ok(())
}

/// Calls `job` for every index below `count` on one named thread per core,
/// each taking the next index when it is free; the files each job makes go
/// to `write` on writer threads of their own.
///
/// Plain threads, not a rayon pool: typst and krilla use rayon inside, and a
/// rayon worker that waits for their tasks steals the next letter and starts
/// it on top of its own stack. Letters then nested dozens deep, each holding
/// its half-made document: 719 letters took 1.4 GB and needed 64 MB stacks.
/// A plain thread waiting on rayon just waits.
///
/// The writer threads: each file is flushed to disk before it takes its
/// name, and while files wait for the disk the cores make the next letters
/// (on a disk, 719 PDFs took 0.9 s longer when each maker waited). The
/// folder is flushed once, at the end, not after each file.
fn run_workers(
    count: usize,
    job: &(dyn Fn(usize, &mut Vec<ToWrite>) + Sync),
    write: &(dyn Fn(ToWrite) + Sync),
) -> Result<(), ExportError> {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(count.max(1));
    let stopped = || ExportError::Threads("an export thread stopped unexpectedly".into());
    // A short queue: made letters wait in memory only while the disk is slower.
    let (to_disk, from_makers) = std::sync::mpsc::sync_channel::<ToWrite>(WRITE_QUEUE);
    let from_makers = Mutex::new(from_makers);
    std::thread::scope(|scope| {
        let mut writers = Vec::with_capacity(WRITERS);
        for n in 0..WRITERS {
            let from_makers = &from_makers;
            let writer = std::thread::Builder::new()
                .name(format!("hemicycle-export-writer-{n}"))
                .spawn_scoped(scope, move || {
                    loop {
                        // The lock is held only to take the next file.
                        let next = from_makers.lock().map(|r| r.recv());
                        match next {
                            Ok(Ok(file)) => write(file),
                            _ => break,
                        }
                    }
                })
                .map_err(|e| ExportError::Threads(e.to_string()))?;
            writers.push(writer);
        }
        let mut makers = Vec::with_capacity(threads);
        for n in 0..threads {
            let next = &next;
            let to_disk = to_disk.clone();
            let maker = std::thread::Builder::new()
                .name(format!("hemicycle-export-{n}"))
                // Typst lays pages out recursively.
                .stack_size(LAYOUT_STACK)
                .spawn_scoped(scope, move || {
                    let mut files = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            break;
                        }
                        job(i, &mut files);
                        for file in files.drain(..) {
                            if to_disk.send(file).is_err() {
                                return;
                            }
                        }
                    }
                })
                .map_err(|e| ExportError::Threads(e.to_string()))?;
            makers.push(maker);
        }
        drop(to_disk);
        for maker in makers {
            maker.join().map_err(|_| stopped())?;
        }
        for writer in writers {
            writer.join().map_err(|_| stopped())?;
        }
        Ok(())
    })
}

/// How many made files may wait for the writers.
const WRITE_QUEUE: usize = 16;
/// Writer threads: while one waits for the disk to flush a file, another
/// writes the next.
const WRITERS: usize = 2;

/// The stack of each export thread.
const LAYOUT_STACK: usize = 16 << 20;

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    if let Ok(mut l) = list.lock() {
        l.push(item);
    }
}

fn take<T>(list: Mutex<Vec<T>>) -> Vec<T> {
    list.into_inner().unwrap_or_default()
}

/// One file's bytes, or why it could not be made.
pub fn render_one(
    letter: &Letter,
    mep: &Mep,
    format: Format,
    pdf_settings: &pdf::PdfSettings,
    eml_settings: &eml::EmlSettings,
) -> Result<Vec<u8>, String> {
    match format {
        Format::Pdf => pdf::render(letter, pdf_settings).map_err(|e| e.to_string()),
        Format::Docx => docx::render(letter).map_err(|e| e.to_string()),
        Format::Html => Ok(render::html::render(letter).into_bytes()),
        Format::Md => Ok(render::markdown::render(letter).into_bytes()),
        Format::Txt => Ok(render::text::render(letter).into_bytes()),
        Format::Eml => {
            let Some(email) = mep.email.as_deref() else {
                return Err(format!(
                    "{} has no e-mail address; add it ([[recipients.addressees]] email in the campaign for a named addressee; `hemicycle override ID --email ADDRESS` for an MEP), or export a PDF or Word letter instead",
                    mep.display_name()
                ));
            };
            // `attachment` asks for the letter as a PDF: made here, for each
            // letter, and named after its subject.
            let mut settings = eml_settings.clone();
            if settings.attachment.is_some() {
                let bytes = pdf::render(letter, pdf_settings).map_err(|e| format!("the attached PDF: {e}"))?;
                let stem = names::sanitize(if letter.meta.subject.trim().is_empty() {
                    "letter"
                } else {
                    &letter.meta.subject
                });
                settings.attachment = Some((format!("{stem}.pdf"), bytes));
            }
            eml::render(letter, &mep.display_name(), email, &settings).map_err(|e| e.to_string())
        }
    }
}

fn zip_files(outputs: &[Output]) -> Result<Vec<u8>, ExportError> {
    let err = |e: &dyn std::fmt::Display| ExportError::Zip(e.to_string());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for o in outputs {
        zip.start_file(o.name.as_str(), options).map_err(|e| err(&e))?;
        zip.write_all(&o.bytes).map_err(|e| err(&e))?;
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}
