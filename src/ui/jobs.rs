//! Slow work off the UI thread: each job runs on a named thread, reports
//! progress through a channel, asks for a repaint when it has news, and can
//! be cancelled.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use eframe::egui;

/// What a job says while it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobProgress {
    pub done: usize,
    pub total: usize,
    /// What it is doing now ("Dr Maria Example").
    pub detail: String,
}

enum Message<T> {
    Progress(JobProgress),
    Done(T),
}

/// The job's side: report progress, check for cancellation.
pub struct Reporter<T> {
    tx: Sender<Message<T>>,
    ctx: egui::Context,
    cancel: Arc<AtomicBool>,
}

impl<T> Reporter<T> {
    pub fn progress(&self, done: usize, total: usize, detail: impl Into<String>) {
        let _ = self.tx.send(Message::Progress(JobProgress {
            done,
            total,
            detail: detail.into(),
        }));
        self.ctx.request_repaint();
    }

    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The UI's side of a running job.
pub struct Job<T> {
    rx: Receiver<Message<T>>,
    cancel: Arc<AtomicBool>,
    pub progress: JobProgress,
    finished: bool,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread called `name` ("hemicycle-export").
    pub fn spawn(name: &str, ctx: &egui::Context, work: impl FnOnce(&Reporter<T>) -> T + Send + 'static) -> Self {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let reporter = Reporter {
            tx,
            ctx: ctx.clone(),
            cancel: Arc::clone(&cancel),
        };
        // Typst lays pages out recursively: PDF work needs a deep stack.
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .stack_size(64 << 20)
            .spawn(move || {
                let result = work(&reporter);
                let _ = reporter.tx.send(Message::Done(result));
                reporter.ctx.request_repaint();
            });
        let finished = spawned.is_err();
        Self {
            rx,
            cancel,
            progress: JobProgress::default(),
            finished,
        }
    }
}

impl<T> Job<T> {
    /// Takes the news; the result once, when the job has finished.
    pub fn poll(&mut self) -> Option<T> {
        loop {
            match self.rx.try_recv() {
                Ok(Message::Progress(p)) => self.progress = p,
                Ok(Message::Done(result)) => {
                    self.finished = true;
                    return Some(result);
                }
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    self.finished = true;
                    return None;
                }
            }
        }
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// 0.0 to 1.0.
    pub fn fraction(&self) -> f32 {
        if self.progress.total == 0 {
            0.0
        } else {
            #[allow(clippy::cast_precision_loss)]
            let f = self.progress.done as f32 / self.progress.total as f32;
            f.clamp(0.0, 1.0)
        }
    }
}

impl<T> Job<Result<T, String>> {
    /// Like [`Job::poll`], but a job whose thread ended without a result
    /// (it panicked: a bug) gives an error to show instead of running for
    /// ever.
    pub fn poll_result(&mut self) -> Option<Result<T, String>> {
        match self.poll() {
            Some(result) => Some(result),
            None if self.finished => Some(Err(
                "this stopped unexpectedly (a bug in Hemicycle; please report it). Nothing you saved was lost; try again".to_owned(),
            )),
            None => None,
        }
    }
}

/// Blocks until the job is done: for tests.
pub fn wait<T>(job: &mut Job<T>, timeout: std::time::Duration) -> Option<T> {
    let start = std::time::Instant::now();
    while start.elapsed() < timeout {
        if let Some(r) = job.poll() {
            return Some(r);
        }
        if job.is_finished() {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_job_runs_on_a_named_thread_reports_and_finishes() {
        let ctx = egui::Context::default();
        let mut job = Job::spawn("hemicycle-test-job", &ctx, |r: &Reporter<String>| {
            r.progress(1, 2, "half");
            std::thread::current().name().unwrap_or_default().to_owned()
        });
        // Bounds for a hung job, not measures of speed: generous enough for
        // a machine whose cores are busy with other work.
        let name = wait(&mut job, Duration::from_mins(1));
        assert_eq!(name.as_deref(), Some("hemicycle-test-job"));
        assert_eq!(job.progress.detail, "half");
        assert!(job.is_finished());
    }

    #[test]
    fn a_job_sees_cancellation() {
        let ctx = egui::Context::default();
        let mut job = Job::spawn("hemicycle-test-cancel", &ctx, |r: &Reporter<bool>| {
            let start = std::time::Instant::now();
            while !r.cancelled() && start.elapsed() < Duration::from_mins(1) {
                std::thread::sleep(Duration::from_millis(1));
            }
            r.cancelled()
        });
        job.cancel();
        assert_eq!(wait(&mut job, Duration::from_mins(2)), Some(true));
    }

    #[test]
    fn a_job_that_panics_ends_with_an_error_not_for_ever() {
        let ctx = egui::Context::default();
        let mut job: Job<Result<(), String>> = Job::spawn("hemicycle-test-panic", &ctx, |_| {
            panic!("a bug");
        });
        let start = std::time::Instant::now();
        let result = loop {
            if let Some(r) = job.poll_result() {
                break r;
            }
            assert!(start.elapsed() < Duration::from_mins(1), "the job never ended");
            std::thread::sleep(Duration::from_millis(5));
        };
        let err = result.unwrap_err();
        assert!(err.contains("stopped unexpectedly"), "{err}");
    }
}
