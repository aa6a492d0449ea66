//! The files an import writes beside their names (`--out`, `--rejects`: a
//! hidden `.NAME.*.partial` renamed over NAME once complete), and what
//! becomes of them when the run does not complete.
//!
//! The rule a user can rely on: once an import has started writing, each
//! of `--out` and `--rejects` is afterwards either **this run's complete
//! output or absent**. A run that stops early (an unreadable input half
//! way, a full disk, a closed output pipe, SIGINT, SIGTERM or SIGHUP)
//! removes its partial files and also the file of an earlier run at those
//! names, which would otherwise look like this run's result (a rejects file
//! of last week's run, "fixed" and imported again). The message on stderr
//! names each file removed. A run refused before it starts (a usage error,
//! an input that cannot be read or mapped) touches neither.
//!
//! On a signal, a thread of [`Staging::on_signals`] (signal-hook's
//! iterator: an ordinary thread, woken by a self-pipe, not code run inside
//! the signal handler) removes the files and then ends the process by the
//! same signal, as if it had not been caught (a shell sees "killed by
//! SIGINT"). Making the outputs final and the signal's clean-up exclude
//! each other through one lock, so a signal during the final renames
//! removes either nothing of this run's complete outputs or all that is
//! not yet final. SIGKILL cannot be caught: it can leave a partial file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use contact_batch_import::output::Sink;

use crate::CliError;

/// One output written beside its name.
#[derive(Debug)]
struct Entry {
    /// How messages name it (`--out file \`x\``).
    what: String,
    /// The hidden partial file.
    temp: PathBuf,
    /// The name it gets once complete.
    target: PathBuf,
}

/// The outputs of one import that are not final yet.
#[derive(Debug, Clone, Default)]
pub(crate) struct Staging {
    entries: Arc<Mutex<Vec<Entry>>>,
}

impl Staging {
    fn lock(&self) -> MutexGuard<'_, Vec<Entry>> {
        // A panic elsewhere while holding it leaves a list that is still
        // right: entries are pushed and removed whole.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records `sink` when it is written beside its name.
    pub(crate) fn add(&self, sink: &Sink) {
        if let Sink::Staged { temp, path, what } = sink {
            self.lock().push(Entry {
                what: what.clone(),
                temp: temp.path().to_owned(),
                target: path.clone(),
            });
        }
    }

    /// Makes `sinks` final, in order, while no signal can clean up; each one
    /// made final is forgotten. At the first failure the rest are dropped
    /// (their partial files removed) and stay listed for [`Staging::abandon`].
    pub(crate) fn finish(&self, sinks: Vec<Sink>) -> Result<(), CliError> {
        let mut entries = self.lock();
        for sink in sinks {
            let target = match &sink {
                Sink::Staged { path, .. } => Some(path.clone()),
                _ => None,
            };
            sink.finish()?;
            if let Some(target) = target {
                entries.retain(|e| e.target != target);
            }
        }
        Ok(())
    }

    /// After a run that stopped early (its sinks dropped): removes what is
    /// left at the outputs' names (a partial file not yet removed, the file
    /// of an earlier run) and says what was removed, one sentence each.
    pub(crate) fn abandon(&self) -> Vec<String> {
        let mut entries = self.lock();
        let notes = entries.iter().filter_map(remove).collect();
        entries.clear();
        notes
    }

    /// From now until the process ends, SIGINT, SIGTERM and SIGHUP remove
    /// the outputs not yet final (as [`Staging::abandon`] does), say so on
    /// stderr and end the process by the signal.
    pub(crate) fn on_signals(&self) -> Result<(), CliError> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            .map_err(|e| CliError::new(format!("cannot handle signals: {e}")))?;
        let staging = self.clone();
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process ends: no output is made final
                    // after this point.
                    let mut entries = staging.lock();
                    let mut text = String::new();
                    for note in entries.iter().filter_map(remove) {
                        text.push_str(&crate::summary::error_line(&format!(
                            "stopped by a signal: {note}"
                        )));
                    }
                    entries.clear();
                    if !text.is_empty() {
                        use std::io::Write;
                        let _ = std::io::stderr().lock().write_all(text.as_bytes());
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    // Not reached for these signals; if it were, the
                    // conventional status of a death by `signal`.
                    std::process::exit(128 + signal);
                }
            })
            .map_err(|e| CliError::new(format!("cannot handle signals: {e}")))?;
        Ok(())
    }
}

/// Removes an entry's partial file (when still there) and its target (the
/// file of an earlier run); the sentence saying so when a target was
/// removed.
fn remove(entry: &Entry) -> Option<String> {
    let _ = std::fs::remove_file(&entry.temp);
    removed(&entry.target).then(|| {
        format!(
            "removed {}, left by an earlier run, since this run did not complete",
            entry.what
        )
    })
}

/// Removes `path` when it is a file or a symbolic link (which the rename
/// would have replaced), not a folder, a device or a pipe.
fn removed(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() || m.is_symlink())
        && std::fs::remove_file(path).is_ok()
}
