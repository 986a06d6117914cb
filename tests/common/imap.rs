//! A real IMAP server for the tests: Dovecot from Debian's packages
//! (`dovecot-imapd`, in scripts/debian-packages.txt), started by the test
//! with a configuration of its own in a temporary folder: 127.0.0.1, a free
//! port, TLS with a throw-away authority, one user in a passwd file, mail in
//! Maildir so the test can count what landed where.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What the test server's mailbox looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailboxes {
    /// A Sent folder marked `\Sent` (SPECIAL-USE).
    Sent,
    /// No Sent folder at all.
    NoSent,
    /// A Sent folder, but a quota of 1 KB: every APPEND is refused.
    Full,
}

/// A running Dovecot.
pub struct Dovecot {
    child: Child,
    pub port: u16,
    pub starttls_port: u16,
    dir: PathBuf,
}

pub const USER: &str = "volunteer";
pub const PASSWORD: &str = "correct horse";

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn current_user() -> (u32, String) {
    let id = |arg: &str| {
        let out = Command::new("id").arg(arg).output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    (id("-u").parse().unwrap(), id("-un"))
}

fn config(dir: &Path, port: u16, starttls_port: u16, mailboxes: Mailboxes, cert: &Path, key: &Path) -> String {
    let d = dir.display();
    let (uid, name) = current_user();
    // Dovecot's login processes must not run as root, nor mail as uid 0:
    // as root, the users the Debian package made; else this user.
    let (login, internal, mail) = if uid == 0 {
        ("dovenull".to_owned(), "dovecot".to_owned(), "dovecot".to_owned())
    } else {
        (name.clone(), name.clone(), name)
    };
    let sent = match mailboxes {
        Mailboxes::NoSent => String::new(),
        Mailboxes::Sent | Mailboxes::Full => {
            "  mailbox Sent {\n    auto = create\n    special_use = \\Sent\n  }\n".to_owned()
        }
    };
    let quota = if mailboxes == Mailboxes::Full {
        "mail_plugins = $mail_plugins quota\nplugin {\n  quota = maildir:User quota\n  quota_rule = *:storage=1K\n}\n"
    } else {
        ""
    };
    format!(
        "base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n\
         protocols = imap\nlisten = 127.0.0.1\nssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\n\
         default_login_user = {login}\ndefault_internal_user = {internal}\ndefault_internal_group = {internal}\n\
         first_valid_uid = 1\nauth_mechanisms = plain login\ndisable_plaintext_auth = yes\n\
         passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN {d}/passwd\n}}\n\
         userdb {{\n  driver = static\n  args = uid={mail} gid={mail} home={d}/mail/%u\n}}\n\
         mail_location = maildir:{d}/mail/%u/Maildir\nmail_save_crlf = yes\n{quota}\
         namespace inbox {{\n  inbox = yes\n  separator = /\n{sent}}}\n\
         service imap-login {{\n  chroot =\n  inet_listener imap {{\n    port = {starttls_port}\n  }}\n  inet_listener imaps {{\n    port = {port}\n    ssl = yes\n  }}\n}}\n\
         service anvil {{\n  chroot =\n}}\n",
        cert = cert.display(),
        key = key.display(),
    )
}

impl Dovecot {
    /// Starts Dovecot in `dir` with the certificate and key given (signed by
    /// the tests' throw-away authority).
    pub fn start(dir: &Path, mailboxes: Mailboxes, cert: &Path, key: &Path) -> Self {
        use std::os::unix::fs::PermissionsExt;
        // Dovecot's own users must reach the folder, its sockets and mail.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::create_dir_all(dir.join("mail")).unwrap();
        std::fs::set_permissions(dir.join("mail"), std::fs::Permissions::from_mode(0o777)).unwrap();
        for file in [cert, key] {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        std::fs::write(dir.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n")).unwrap();
        // A free port may be taken between the probe and Dovecot's bind:
        // then try others.
        for _ in 0..5 {
            let (port, starttls_port) = (free_port(), free_port());
            let conf = dir.join("dovecot.conf");
            std::fs::write(&conf, config(dir, port, starttls_port, mailboxes, cert, key)).unwrap();
            let child = Command::new("dovecot")
                .arg("-F")
                .arg("-c")
                .arg(&conf)
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap_or_else(|e| panic!("dovecot is needed ({e}); scripts/check.sh installs dovecot-imapd"));
            let mut server = Self {
                child,
                port,
                starttls_port,
                dir: dir.to_path_buf(),
            };
            if server.wait_until_listening() {
                return server;
            }
            server.stop();
        }
        panic!(
            "Dovecot did not start; its log:\n{}",
            std::fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default()
        );
    }

    /// Polls until both ports take connections (a generous bound: only a
    /// Dovecot that failed to start reaches it), or Dovecot exits.
    fn wait_until_listening(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_mins(2);
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return false;
            }
            let up = |port| TcpStream::connect(("127.0.0.1", port)).is_ok();
            if up(self.port) && up(self.starttls_port) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The messages in a folder of the user's Maildir ("Sent", "INBOX"), as
    /// (file name, bytes); the file name ends in the flags (":2,S" is \Seen).
    pub fn messages(&self, folder: &str) -> Vec<(String, Vec<u8>)> {
        let maildir = self.dir.join("mail").join(USER).join("Maildir");
        let root = if folder == "INBOX" {
            maildir
        } else {
            maildir.join(format!(".{folder}"))
        };
        let mut all = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(root.join(sub)) else {
                continue;
            };
            for entry in entries {
                let entry = entry.unwrap();
                all.push((
                    entry.file_name().to_string_lossy().into_owned(),
                    std::fs::read(entry.path()).unwrap(),
                ));
            }
        }
        all.sort();
        all
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default();
            eprintln!("Dovecot's log:\n{log}");
        }
        self.stop();
    }
}

/// A small IMAP server (`tests/imap/refusing.py`, plain TCP, any login)
/// that refuses to open the folder `refuse` as Dovecot refuses a folder it
/// cannot open: an untagged `* NO [SERVERBUG] …` in its answer to EXAMINE,
/// before a tagged OK. Other folders hold one message (`message`, or a
/// short note). Killed when dropped.
pub struct Refusing {
    child: Child,
    pub port: u16,
}

impl Refusing {
    pub fn start(refuse: &str, message: Option<&Path>) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/imap/refusing.py");
        let mut command = Command::new(super::smtp::python());
        command.arg(&script).args(["--refuse", refuse]);
        if let Some(m) = message {
            command.arg("--message").arg(m);
        }
        let (child, port) = super::smtp::start_ready(&mut command, "the refusing IMAP server (python3)");
        Self { child, port }
    }
}

impl Drop for Refusing {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The tests' mail provider: the SMTP test server over STARTTLS with the
/// user's login (keeping each message's raw bytes) and Dovecot with
/// `mailboxes`, both with certificates of one throw-away authority, whose
/// certificate is returned.
pub fn servers(dir: &Path, mailboxes: Mailboxes) -> (super::smtp::Server, Dovecot, PathBuf) {
    let (ca, cert, key) = super::smtp::certificates(dir);
    let auth = format!("{USER}:{PASSWORD}");
    let smtp = super::smtp::Server::start(
        dir,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
            "--auth",
            &auth,
            "--keep-raw",
        ],
    );
    let imap = Dovecot::start(dir, mailboxes, &cert, &key);
    (smtp, imap, ca)
}

/// The arguments of `hemicycle account add NAME` for the user of
/// `servers`, from `from`, trusting `ca`; with `--copy-to-sent` when
/// `copy_to_sent`.
pub fn account_add(
    name: &str,
    smtp: &super::smtp::Server,
    imap: &Dovecot,
    from: &str,
    ca: &Path,
    copy_to_sent: bool,
) -> Vec<String> {
    let mut args: Vec<String> = ["account", "add", name, "--host", "localhost", "--port"]
        .map(str::to_owned)
        .into();
    args.push(smtp.port.to_string());
    args.extend(["--user", USER, "--from", from, "--ca"].map(str::to_owned));
    args.push(ca.to_str().unwrap().to_owned());
    if copy_to_sent {
        args.push("--copy-to-sent".to_owned());
    }
    args.extend(["--imap-host", "localhost", "--imap-port"].map(str::to_owned));
    args.push(imap.port.to_string());
    args
}
