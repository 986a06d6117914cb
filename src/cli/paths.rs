//! `hemicycle paths`: where Hemicycle keeps its files on this computer.

use std::io::Write;

/// Writes with `writeln!`, not `println!`: piped into `head`, the pipe
/// closes early, and the error ends the command quietly instead of a panic.
pub fn run() -> anyhow::Result<()> {
    let paths = super::paths()?;
    let mut out = std::io::stdout().lock();
    for (what, path) in paths.locations() {
        writeln!(out, "{what}:\n  {}", path.display())?;
    }
    if let Some(home) = crate::store::home_from_env() {
        writeln!(
            out,
            "(All under {} because {} is set.)",
            home.display(),
            crate::store::HOME_ENV
        )?;
    }
    Ok(())
}
