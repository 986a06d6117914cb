//! `hemicycle paths`: where Hemicycle keeps its files on this computer.

pub fn run() -> anyhow::Result<()> {
    let paths = super::paths()?;
    for (what, path) in paths.locations() {
        println!("{what}:\n  {}", path.display());
    }
    if std::env::var_os(crate::store::HOME_ENV).is_some() {
        println!(
            "(All under {} because {} is set.)",
            std::env::var(crate::store::HOME_ENV).unwrap_or_default(),
            crate::store::HOME_ENV
        );
    }
    Ok(())
}
