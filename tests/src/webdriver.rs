//! A small W3C WebDriver client for tauri-driver, and a guard that starts and stops tauri-driver.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The W3C key under which element references are returned.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const DRIVER_PORT: u16 = 4444;

/// A running tauri-driver; stopped with SIGTERM on drop so its WebKitWebDriver child goes too.
pub struct Driver {
    child: Child,
}

impl Driver {
    /// Starts tauri-driver and waits until it answers. `env` reaches the app: tauri-driver passes
    /// its environment to WebKitWebDriver, which passes it to the application it launches.
    pub fn start(env: &[(&str, &Path)]) -> Driver {
        let child = Command::new("tauri-driver")
            .args(["--port", &DRIVER_PORT.to_string(), "--native-port", "4445"])
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdout(Stdio::null())
            .stderr(driver_log())
            .spawn()
            .expect(
                "tauri-driver is installed (cargo install tauri-driver --version '^2' --locked)",
            );
        let driver = Driver { child };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if request("GET", "/status", None).is_ok() {
                return driver;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("tauri-driver did not answer on port {DRIVER_PORT} within 30 s");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGKILL would orphan WebKitWebDriver, which then holds the port and the test's stdout.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// tauri-driver's own log goes to `$ASSAY_DRIVER_LOG` when set (it is noisy otherwise).
fn driver_log() -> Stdio {
    std::env::var_os("ASSAY_DRIVER_LOG")
        .and_then(|p| std::fs::File::create(p).ok())
        .map(Stdio::from)
        .unwrap_or_else(Stdio::null)
}

/// One WebDriver session: one running instance of the app.
pub struct Session {
    id: String,
}

impl Session {
    /// Launches `app` under the driver.
    pub fn launch(app: &Path) -> Session {
        let caps =
            json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": app}}}});
        let v = request("POST", "/session", Some(caps)).expect("new WebDriver session");
        let id = v["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_owned();
        Session { id }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{}", self.id, path);
        match request(method, &full, body) {
            Ok(v) => v["value"].clone(),
            Err(e) => panic!("WebDriver {method} {path} failed: {e}"),
        }
    }

    /// Waits up to `timeout` for an element matching the CSS `selector`.
    pub fn wait_for(&self, selector: &str, timeout: Duration) -> Element<'_> {
        let deadline = Instant::now() + timeout;
        loop {
            let body = json!({"using": "css selector", "value": selector});
            let full = format!("/session/{}/element", self.id);
            if let Ok(v) = request("POST", &full, Some(body)) {
                if let Some(id) = v["value"][ELEMENT_KEY].as_str() {
                    return Element {
                        session: self,
                        id: id.to_owned(),
                    };
                }
            }
            if Instant::now() > deadline {
                let page = self.execute(
                    "return document.body ? document.body.innerText : ''",
                    json!([]),
                );
                panic!("no element matches {selector} after {timeout:?}; page text:\n{page}");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Waits until `script` (a JS function body returning a boolean) returns true.
    pub fn wait_until(&self, what: &str, script: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.execute(script, json!([])) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(150));
        }
        let page = self.execute(
            "return document.body ? document.body.innerText : ''",
            json!([]),
        );
        panic!("timed out waiting for {what}; page text:\n{page}");
    }

    /// Runs synchronous JavaScript in the page and returns its result.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Saves a PNG screenshot of the window.
    pub fn screenshot(&self, path: &Path) {
        let b64 = self.call("GET", "/screenshot", None);
        let bytes = decode_base64(b64.as_str().unwrap_or_default());
        std::fs::write(path, bytes).expect("write screenshot");
    }

    /// Ends the session, closing the app.
    pub fn quit(self) {
        let _ = request("DELETE", &format!("/session/{}", self.id), None);
    }
}

/// An element of the page.
pub struct Element<'s> {
    session: &'s Session,
    id: String,
}

impl Element<'_> {
    pub fn click(&self) {
        self.session.call(
            "POST",
            &format!("/element/{}/click", self.id),
            Some(json!({})),
        );
    }

    /// Clears the field and types `text` into it.
    pub fn set_text(&self, text: &str) {
        self.session.call(
            "POST",
            &format!("/element/{}/clear", self.id),
            Some(json!({})),
        );
        self.session.call(
            "POST",
            &format!("/element/{}/value", self.id),
            Some(json!({"text": text})),
        );
    }

    pub fn text(&self) -> String {
        self.session
            .call("GET", &format!("/element/{}/text", self.id), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The `value` property (for inputs and selects).
    pub fn value(&self) -> String {
        self.session
            .call("GET", &format!("/element/{}/property/value", self.id), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// One HTTP/1.1 request to the driver; returns the parsed JSON body or an error description.
fn request(method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", DRIVER_PORT)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string());
    let entity = match &body {
        Some(b) => format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ),
        None => String::new(),
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{DRIVER_PORT}\r\nAccept: application/json\r\n{entity}\r\n"
    );
    // One write for head and body, and no `Connection: close`: tauri-driver's proxy sometimes
    // drops such requests unanswered. The body's end is found from Content-Length instead.
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default().as_bytes());
    stream.write_all(&bytes).map_err(|e| e.to_string())?;

    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!(
                "connection closed after {} bytes of response",
                raw.len()
            ));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status")?;
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            if k.trim().eq_ignore_ascii_case("content-length") {
                v.trim().parse().ok()
            } else {
                None
            }
        })
        .ok_or("response without Content-Length")?;
    let mut payload = raw[head_end + 4..].to_vec();
    while payload.len() < length {
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed inside the response body".into());
        }
        payload.extend_from_slice(&buf[..n]);
    }
    payload.truncate(length);
    let v: Value = serde_json::from_slice(&payload)
        .map_err(|e| format!("bad JSON ({e}): {}", String::from_utf8_lossy(&payload)))?;
    if status >= 400 {
        return Err(format!("HTTP {status}: {}", v["value"]["message"]));
    }
    Ok(v)
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
