//! Strict JSON checks shared by Assay's readers (OSCAL, scanner formats, the KEV catalog, the
//! package manifest): a byte-level [`Guard`] that follows a document's structure as its bytes
//! pass, without building anything, and refuses
//!
//! - a key repeated in one object (serde would keep the last value, or keep the first when it
//!   skips the field, so two readers of one file could disagree: a forger's second `"sha256"`);
//! - a string longer than [`Limits::max_string`] (a 200 MB string otherwise grows serde_json's
//!   scratch buffer, then a `String`, then the copies a record makes of it);
//! - a number or literal longer than [`Limits::max_token`], a key longer than
//!   [`Limits::max_key`], nesting deeper than [`Limits::max_depth`].
//!
//! Why a separate pass over the bytes rather than a wrapper around serde's `Deserializer`: it
//! sees every object, including the ones a reader skips (`IgnoredAny`) or parses to
//! `serde_json::Value`, and it refuses an over-long string while the string is still being
//! read, before serde_json has buffered it. It costs one byte-loop per input byte (strings are
//! skipped a slice at a time) and memory for the keys of the objects that are open.
//!
//! Invariant: the guard never errors on anything but the rules above; malformed JSON is left to
//! serde_json, which reads the same bytes. It never panics and its memory is bounded by the keys
//! of the open objects (each at most `max_key` bytes) and `max_depth` frames.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;

/// The caps a [`Guard`] holds. Every reader documents the values it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest string (bytes between the quotes, escapes counted as written).
    pub max_string: u64,
    /// Longest number or literal.
    pub max_token: u64,
    /// Longest object key.
    pub max_key: usize,
    /// Deepest nesting of objects and arrays.
    pub max_depth: usize,
}

impl Limits {
    /// The readers' defaults: 64 MiB strings (an SSP may embed an attachment as base64 in its
    /// back matter), 4 KiB numbers and literals, 64 KiB keys, 100 levels.
    pub const DEFAULT: Limits = Limits {
        max_string: 64 << 20,
        max_token: 4 << 10,
        max_key: 64 << 10,
        max_depth: 100,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Which rule the input broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A key appears twice in one object.
    DuplicateKey {
        /// The key (decoded, shortened for display).
        key: String,
        /// JSON path of the object holding it.
        path: String,
    },
    /// A string longer than [`Limits::max_string`].
    StringTooLong {
        /// JSON path of the string.
        path: String,
        /// The cap.
        cap: u64,
    },
    /// A number or literal longer than [`Limits::max_token`].
    TokenTooLong {
        /// JSON path of the value.
        path: String,
        /// The cap.
        cap: u64,
    },
    /// A key longer than [`Limits::max_key`].
    KeyTooLong {
        /// JSON path of the object holding it.
        path: String,
        /// The cap.
        cap: usize,
    },
    /// Nesting deeper than [`Limits::max_depth`].
    TooDeep {
        /// JSON path of the container that went too deep.
        path: String,
        /// The cap.
        cap: usize,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::DuplicateKey { key, path } => {
                write!(f, "duplicate key {key:?} in the object at {path}")
            }
            Problem::StringTooLong { path, cap } => {
                write!(
                    f,
                    "the string at {path} is longer than the {cap}-byte limit"
                )
            }
            Problem::TokenTooLong { path, cap } => {
                write!(f, "the value at {path} is longer than the {cap}-byte limit")
            }
            Problem::KeyTooLong { path, cap } => {
                write!(
                    f,
                    "a key in the object at {path} is longer than the {cap}-byte limit"
                )
            }
            Problem::TooDeep { path, cap } => {
                write!(f, "nesting deeper than {cap} levels at {path}")
            }
        }
    }
}

/// A broken rule and where: the place where the offending key, string, value or container
/// starts (line and column are 1-based; the column counts bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// What.
    pub problem: Problem,
    /// Byte offset from the start of the bytes fed.
    pub offset: u64,
    /// 1-based line.
    pub line: u64,
    /// 1-based column in bytes.
    pub column: u64,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.problem
        )
    }
}

impl std::error::Error for Violation {}

/// Checks a whole document (or JSON Lines) held in memory.
pub fn check(bytes: &[u8], limits: Limits) -> Result<(), Violation> {
    Guard::new(limits).feed(bytes)
}

/// A place in the input.
#[derive(Debug, Clone, Copy, Default)]
struct Pos {
    offset: u64,
    line: u64,
    column: u64,
}

/// Objects up to this many keys are checked for repeats by comparing with each key; larger
/// ones get a hash index (so a hostile object of a million keys stays linear).
const SCAN_KEYS: usize = 16;

enum Frame {
    Object {
        /// Where this object's keys start in `Guard::spans` and its bytes in `Guard::arena`.
        first: usize,
        arena_start: usize,
        /// Hash of a key to the `spans` indexes with that hash, once the object is large.
        index: Option<HashMap<u64, Vec<usize>>>,
        expect_key: bool,
    },
    Array {
        index: u64,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    None,
    Backslash,
    /// Inside `\uXXXX`: digits read so far and their value.
    Unicode(u8, u32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Between,
    String { key: bool },
    Token,
}

/// Follows JSON bytes fed in any chunking and reports the first rule broken; after that every
/// call returns the same violation.
pub struct Guard {
    limits: Limits,
    stack: Vec<Frame>,
    state: State,
    escape: Escape,
    /// A high surrogate waiting for its low half (keys only).
    high: Option<u32>,
    /// The decoded keys of the open objects, one after the other; the key being read is last,
    /// from `key_start`.
    arena: Vec<u8>,
    key_start: usize,
    /// Each complete key of the open objects: its range in `arena`.
    spans: Vec<(usize, usize)>,
    hasher: RandomState,
    /// Bytes of the current string or token.
    run: u64,
    /// Where the current string or token started.
    start: Pos,
    offset: u64,
    line: u64,
    line_start: u64,
    failed: Option<Violation>,
}

impl Guard {
    /// A guard at the start of the input.
    pub fn new(limits: Limits) -> Guard {
        Guard {
            limits,
            stack: Vec::new(),
            state: State::Between,
            escape: Escape::None,
            high: None,
            arena: Vec::new(),
            key_start: 0,
            spans: Vec::new(),
            hasher: RandomState::new(),
            run: 0,
            start: Pos::default(),
            offset: 0,
            line: 1,
            line_start: 0,
            failed: None,
        }
    }

    /// The caps this guard holds.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The first violation seen, if any.
    pub fn violation(&self) -> Option<&Violation> {
        self.failed.as_ref()
    }

    /// Follows `bytes`, the continuation of what was fed before.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), Violation> {
        if let Some(v) = &self.failed {
            return Err(v.clone());
        }
        let mut i = 0;
        while i < bytes.len() {
            // Runs that change no state are skipped a slice at a time: the plain part of a
            // string, the characters of a number or literal, blanks between tokens.
            let n = self.plain_run(&bytes[i..]);
            if n > 0 {
                self.offset += n as u64;
                i += n;
                self.check_run()?;
                if i == bytes.len() {
                    break;
                }
            }
            let b = bytes[i];
            let result = self.byte(b);
            self.offset += 1;
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.offset;
            }
            result?;
            i += 1;
        }
        Ok(())
    }

    /// The length of the run at the start of `rest` that needs no per-byte work in the
    /// current state; key bytes in it are added to the key, string and token bytes counted.
    fn plain_run(&mut self, rest: &[u8]) -> usize {
        match self.state {
            State::String { key } if self.escape == Escape::None => {
                let n = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\\' | b'\n'))
                    .unwrap_or(rest.len());
                if key && n > 0 {
                    self.flush_high();
                    self.arena.extend_from_slice(&rest[..n]);
                }
                self.run += n as u64;
                n
            }
            State::Token => {
                let n = rest
                    .iter()
                    .position(|&b| is_delimiter(b))
                    .unwrap_or(rest.len());
                self.run += n as u64;
                n
            }
            State::Between => rest
                .iter()
                .position(|&b| !matches!(b, b' ' | b'\t' | b'\r'))
                .unwrap_or(rest.len()),
            State::String { .. } => 0,
        }
    }

    /// Checks the caps after a run.
    fn check_run(&mut self) -> Result<(), Violation> {
        match self.state {
            State::String { key } => self.check_string_length(key),
            State::Token if self.run > self.limits.max_token => {
                let problem = Problem::TokenTooLong {
                    path: self.path(true),
                    cap: self.limits.max_token,
                };
                self.fail(problem, self.start)
            }
            _ => Ok(()),
        }
    }

    fn pos(&self) -> Pos {
        Pos {
            offset: self.offset,
            line: self.line,
            column: self.offset - self.line_start + 1,
        }
    }

    fn fail(&mut self, problem: Problem, at: Pos) -> Result<(), Violation> {
        let v = Violation {
            problem,
            offset: at.offset,
            line: at.line,
            column: at.column,
        };
        self.failed = Some(v.clone());
        Err(v)
    }

    fn fail_string(&mut self) -> Result<(), Violation> {
        let problem = Problem::StringTooLong {
            path: self.path(true),
            cap: self.limits.max_string,
        };
        self.fail(problem, self.start)
    }

    fn byte(&mut self, b: u8) -> Result<(), Violation> {
        match self.state {
            State::String { key } => self.string_byte(b, key),
            State::Token if !is_delimiter(b) => {
                self.run += 1;
                if self.run > self.limits.max_token {
                    let problem = Problem::TokenTooLong {
                        path: self.path(true),
                        cap: self.limits.max_token,
                    };
                    return self.fail(problem, self.start);
                }
                Ok(())
            }
            State::Token | State::Between => {
                self.state = State::Between;
                self.structural(b)
            }
        }
    }

    fn structural(&mut self, b: u8) -> Result<(), Violation> {
        match b {
            b'"' => {
                let key = matches!(
                    self.stack.last(),
                    Some(Frame::Object {
                        expect_key: true,
                        ..
                    })
                );
                if let Some(Frame::Object { expect_key, .. }) = self.stack.last_mut() {
                    *expect_key = false;
                }
                self.key_start = self.arena.len();
                self.high = None;
                self.begin(State::String { key });
            }
            b'{' | b'[' => {
                if self.stack.len() >= self.limits.max_depth {
                    let problem = Problem::TooDeep {
                        path: self.path(true),
                        cap: self.limits.max_depth,
                    };
                    return self.fail(problem, self.pos());
                }
                self.stack.push(if b == b'{' {
                    Frame::Object {
                        first: self.spans.len(),
                        arena_start: self.arena.len(),
                        index: None,
                        expect_key: true,
                    }
                } else {
                    Frame::Array { index: 0 }
                });
            }
            b'}' | b']' => {
                if let Some(Frame::Object {
                    first, arena_start, ..
                }) = self.stack.pop()
                {
                    self.spans.truncate(first);
                    self.arena.truncate(arena_start);
                }
            }
            b',' => match self.stack.last_mut() {
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b':' | b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => {
                self.begin(State::Token);
                self.run = 1;
            }
        }
        Ok(())
    }

    fn begin(&mut self, state: State) {
        self.state = state;
        self.escape = Escape::None;
        self.run = 0;
        self.start = self.pos();
    }

    fn string_byte(&mut self, b: u8, key: bool) -> Result<(), Violation> {
        self.run += 1;
        match self.escape {
            Escape::Backslash => {
                self.escape = Escape::None;
                if b == b'u' {
                    self.escape = Escape::Unicode(0, 0);
                } else if key {
                    let decoded = match b {
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        other => other,
                    };
                    self.key_char(u32::from(decoded));
                }
            }
            Escape::Unicode(n, value) => match (b as char).to_digit(16) {
                Some(d) if n < 3 => self.escape = Escape::Unicode(n + 1, value << 4 | d),
                Some(d) => {
                    self.escape = Escape::None;
                    if key {
                        self.key_char(value << 4 | d);
                    }
                }
                // Not a hex digit: serde_json refuses the escape; stop decoding it.
                None => {
                    self.escape = Escape::None;
                    return self.plain_string_byte(b, key);
                }
            },
            Escape::None => return self.plain_string_byte(b, key),
        }
        self.check_string_length(key)
    }

    fn plain_string_byte(&mut self, b: u8, key: bool) -> Result<(), Violation> {
        match b {
            b'"' => {
                self.state = State::Between;
                self.run -= 1;
                if key {
                    return self.end_key();
                }
            }
            b'\\' => self.escape = Escape::Backslash,
            _ if key => {
                self.flush_high();
                self.arena.push(b);
            }
            _ => {}
        }
        self.check_string_length(key)
    }

    fn check_string_length(&mut self, key: bool) -> Result<(), Violation> {
        if key && self.arena.len() - self.key_start > self.limits.max_key {
            let problem = Problem::KeyTooLong {
                path: self.path(false),
                cap: self.limits.max_key,
            };
            return self.fail(problem, self.start);
        }
        if self.run > self.limits.max_string {
            return self.fail_string();
        }
        Ok(())
    }

    /// Appends a decoded code point (or half of a surrogate pair) to the key.
    fn key_char(&mut self, code: u32) {
        if (0xD800..0xDC00).contains(&code) {
            self.flush_high();
            self.high = Some(code);
            return;
        }
        let code = match (self.high.take(), code) {
            (Some(high), low @ 0xDC00..0xE000) => {
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            (Some(_), other) => {
                self.push_char(char::REPLACEMENT_CHARACTER);
                other
            }
            (None, other) => other,
        };
        self.push_char(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
    }

    fn flush_high(&mut self) {
        if self.high.take().is_some() {
            self.push_char(char::REPLACEMENT_CHARACTER);
        }
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.arena
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }

    fn end_key(&mut self) -> Result<(), Violation> {
        self.flush_high();
        let span = (self.key_start, self.arena.len());
        let Some(Frame::Object { first, index, .. }) = self.stack.last_mut() else {
            return Ok(());
        };
        let key = &self.arena[span.0..span.1];
        let same = |&(start, end): &(usize, usize)| self.arena[start..end] == *key;
        let duplicate = match index {
            None => self.spans[*first..].iter().any(same),
            Some(index) => index
                .get(&self.hasher.hash_one(key))
                .is_some_and(|found| found.iter().any(|&i| same(&self.spans[i]))),
        };
        if duplicate {
            let problem = Problem::DuplicateKey {
                key: display_key(key),
                path: self.path(false),
            };
            return self.fail(problem, self.start);
        }
        self.spans.push(span);
        let count = self.spans.len() - *first;
        if index.is_none() && count > SCAN_KEYS {
            let mut built: HashMap<u64, Vec<usize>> = HashMap::new();
            for i in *first..self.spans.len() {
                let (start, end) = self.spans[i];
                let hash = self.hasher.hash_one(&self.arena[start..end]);
                built.entry(hash).or_default().push(i);
            }
            *index = Some(built);
        } else if let Some(index) = index {
            let hash = self.hasher.hash_one(key);
            index.entry(hash).or_default().push(self.spans.len() - 1);
        }
        Ok(())
    }

    /// The JSON path of the current place: with `value`, down to the value of the last key
    /// of the innermost object; without it, to the innermost object itself.
    fn path(&self, value: bool) -> String {
        let mut out = String::from("$");
        let n = self.stack.len();
        for (i, frame) in self.stack.iter().enumerate() {
            match frame {
                Frame::Array { index } => out.push_str(&format!("[{index}]")),
                Frame::Object { first, .. } if i + 1 < n || value => {
                    let last = self.stack[i + 1..]
                        .iter()
                        .find_map(|f| match f {
                            Frame::Object { first, .. } => Some(*first),
                            Frame::Array { .. } => None,
                        })
                        .unwrap_or(self.spans.len());
                    let key = match last.checked_sub(1) {
                        Some(j) if j >= *first => {
                            let (start, end) = self.spans[j];
                            display_key(&self.arena[start..end])
                        }
                        _ => String::new(),
                    };
                    if !key.is_empty()
                        && key
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    {
                        out.push('.');
                        out.push_str(&key);
                    } else {
                        out.push_str(&format!("[{key:?}]"));
                    }
                }
                Frame::Object { .. } => {}
            }
        }
        out
    }
}

/// A key as text for messages: lossy UTF-8, at most 80 characters.
fn display_key(key: &[u8]) -> String {
    let text = String::from_utf8_lossy(key);
    let mut out: String = text.chars().take(80).collect();
    if text.chars().nth(80).is_some() {
        out.push('…');
    }
    out
}

/// Bytes that end a number or literal.
fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b',' | b'}' | b']' | b':' | b'"' | b'{' | b'[' | b' ' | b'\t' | b'\r' | b'\n'
    )
}

/// Text from the input (element names, values quoted by a parser) made fit for a one-line
/// reader error, in every reader that quotes its input: control characters (newlines, terminal
/// escapes) escaped, at most 200 characters.
pub fn one_line(text: &str) -> String {
    const MAX: usize = 200;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
