//! `hemicycle bench --ui`, the memory figures: the resident set split into
//! the program's own data (the heap, thread stacks: anonymous memory) and
//! the files mapped into it (the program itself with its bundled fonts and
//! the system's libraries), read from Linux's `/proc/self/smaps_rollup`.

use std::fmt;

/// What the process holds in RAM, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// The resident set (as `VmRSS`).
    pub resident: u64,
    /// Of which anonymous memory: the heap, the stacks.
    pub anonymous: u64,
}

impl Memory {
    /// The figures now (Linux; `None` elsewhere).
    pub fn now() -> Option<Self> {
        parse(&std::fs::read_to_string("/proc/self/smaps_rollup").ok()?)
    }

    /// Of the resident set, the mapped files: the program and the libraries.
    pub fn files(&self) -> u64 {
        self.resident.saturating_sub(self.anonymous)
    }
}

impl fmt::Display for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} MB ({} MB data, {} MB the program and its libraries)",
            self.resident / 1_000_000,
            self.anonymous / 1_000_000,
            self.files() / 1_000_000
        )
    }
}

fn parse(rollup: &str) -> Option<Memory> {
    let field = |name: &str| -> Option<u64> {
        let line = rollup.lines().find(|l| l.split(':').next() == Some(name))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    };
    Some(Memory {
        resident: field("Rss")?,
        anonymous: field("Anonymous")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_resident_set_and_its_anonymous_part() {
        let rollup = "56130824d000-7ffebaee7000 ---p 00000000 00:00 0  [rollup]\nRss:                1696 kB\nPss:                 209 kB\nPss_Anon:            116 kB\nAnonymous:           116 kB\nAnonHugePages:         0 kB\n";
        let memory = parse(rollup).expect("the fields are there");
        assert_eq!(memory.resident, 1696 * 1024);
        assert_eq!(memory.anonymous, 116 * 1024);
        assert_eq!(memory.files(), 1580 * 1024);
        assert_eq!(parse("Rss: 12 kB\n"), None);
    }

    #[test]
    fn this_process_has_figures_on_linux() {
        if cfg!(target_os = "linux") {
            let memory = Memory::now().expect("smaps_rollup is readable");
            assert!(memory.anonymous > 0 && memory.anonymous < memory.resident);
        }
    }
}
