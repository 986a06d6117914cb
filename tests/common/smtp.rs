//! A real SMTP server process for the tests: `tests/smtp/server.py` on
//! aiosmtpd (installed by scripts/check.sh), with throw-away certificates.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn python() -> String {
    std::env::var("HEMICYCLE_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// A running aiosmtpd server.
pub struct Server {
    child: Child,
    pub port: u16,
    dir: PathBuf,
    args: Vec<String>,
}

impl Server {
    pub fn start(dir: &Path, args: &[&str]) -> Self {
        Self::start_on(dir, 0, args.iter().map(|s| (*s).to_owned()).collect())
    }

    pub fn start_on(dir: &Path, port: u16, args: Vec<String>) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
        let (child, port) = start_ready(
            Command::new(python())
                .arg(&script)
                .arg("--dir")
                .arg(dir)
                .arg("--port")
                .arg(port.to_string())
                .args(&args),
            "the test SMTP server (python3 with aiosmtpd; scripts/check.sh installs it)",
        );
        Self {
            child,
            port,
            dir: dir.to_path_buf(),
            args,
        }
    }

    /// SIGKILL: the server vanishes without a goodbye.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn restart(&mut self) {
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            // The port may take a moment to be free again.
            let probe = std::net::TcpListener::bind(("127.0.0.1", self.port));
            if probe.is_ok() || Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        *self = Self::start_on(&self.dir, self.port, self.args.clone());
    }

    /// Every (recipient, message) the server accepted.
    pub fn received(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.dir.join("received.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub fn counts(&self) -> HashMap<String, usize> {
        let mut map = HashMap::new();
        for r in self.received() {
            *map.entry(r["rcpt"].as_str().unwrap().to_lowercase()).or_default() += 1;
        }
        map
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A throw-away certificate authority and a certificate for localhost
/// signed by it, made with openssl.
pub fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl is installed");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Hemicycle test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
    (dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key"))
}

/// A server offering STARTTLS with a throw-away certificate (and a login
/// when `auth` is "user:password"), and the authority that signed it.
pub fn tls_server(dir: &Path, auth: Option<&str>) -> (Server, PathBuf) {
    let (ca, cert, key) = certificates(dir);
    let mut args = vec!["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()];
    if let Some(auth) = auth {
        args.extend(["--auth", auth]);
    }
    (Server::start(dir, &args), ca)
}

/// The bytes a message reached the server with (`--keep-raw`), from its
/// line of `received()`.
pub fn raw_bytes(received: &serde_json::Value) -> Vec<u8> {
    let hex = received["raw"].as_str().unwrap();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// The same, as text.
pub fn raw_of(received: &serde_json::Value) -> String {
    String::from_utf8(raw_bytes(received)).unwrap()
}

/// Starts a test server written in Python that prints `READY PORT` once it
/// listens: the child and its port. `what` names it when it does not start.
pub fn start_ready(command: &mut Command, what: &str) -> (std::process::Child, u16) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{what} could not be started ({e})"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("{what} did not start: {line:?}"))
        .parse()
        .unwrap();
    (child, port)
}
