//! A local HTTP server in the shape of Zotero 7's local API: it answers
//! `GET /api/users/0/items/top?q=WORDS&format=csljson…` with
//! `tests/fixtures/zotero/WORDS.json`, as Zotero answers the search, and
//! answers everything with 403 once told its local API is "off", as
//! Zotero does while "Allow other applications on this computer to
//! communicate with Zotero" is not ticked.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub struct ZoteroServer {
    /// The API's root, as `http://localhost:23119/api/` is Zotero's.
    pub base_url: String,
    /// Every request: the URL and its `Zotero-API-Version` header.
    pub log: Arc<Mutex<Vec<(String, String)>>>,
    pub off: Arc<AtomicBool>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl ZoteroServer {
    pub fn start() -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind a local port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let log: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let off = Arc::new(AtomicBool::new(false));
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zotero");
        let thread = {
            let (server, log, off) = (server.clone(), log.clone(), off.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let url = request.url().to_owned();
                    let version = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("Zotero-API-Version"))
                        .map(|h| h.value.to_string())
                        .unwrap_or_default();
                    log.lock().unwrap().push((url.clone(), version));
                    let response = if off.load(Ordering::SeqCst) {
                        tiny_http::Response::from_string("Local API is not enabled").with_status_code(403)
                    } else {
                        answer(&root, &url)
                    };
                    let _ = request.respond(response);
                }
            })
        };
        Self {
            base_url: format!("http://127.0.0.1:{port}/api/"),
            log,
            off,
            server,
            thread: Some(thread),
        }
    }

    pub fn requests(&self) -> Vec<(String, String)> {
        self.log.lock().unwrap().clone()
    }
}

fn answer(root: &Path, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let q = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("q="))
        .map(|q| q.replace('+', " "))
        .unwrap_or_default();
    let file = root.join(format!("{q}.json"));
    match (path, std::fs::read_to_string(&file)) {
        ("/api/users/0/items/top", Ok(text)) => tiny_http::Response::from_string(text).with_header(
            "Content-Type: application/vnd.citationstyles.csl+json"
                .parse::<tiny_http::Header>()
                .unwrap(),
        ),
        ("/api/users/0/items/top", Err(_)) => tiny_http::Response::from_string("{\n\t\"items\": []\n}"),
        _ => tiny_http::Response::from_string("Not found").with_status_code(404),
    }
}

impl Drop for ZoteroServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
