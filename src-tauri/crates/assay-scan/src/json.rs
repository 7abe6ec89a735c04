//! Shared streaming-JSON machinery: serde seeds that hand each array element to a closure
//! as soon as it is parsed, a JSON-path tracker for error places, and error mapping.
//!
//! Invariants: no parser builds a `Value` of a whole document — arrays of records are
//! visited element by element; an error raised by a closure (sink refusal, cancel) is
//! stashed and returned unchanged instead of being flattened into a serde message.

use std::cell::RefCell;
use std::fmt;
use std::io::BufRead;
use std::marker::PhantomData;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::control::{Counting, RecordMark, Refusal};
use crate::error::ScanError;

/// One step of a JSON path.
#[derive(Clone, Copy)]
pub(crate) enum Seg {
    Key(&'static str),
    Index(usize),
}

/// State shared by the seeds of one parse: the stashed closure error and the path.
#[derive(Default)]
pub(crate) struct Shared {
    stash: RefCell<Option<ScanError>>,
    path: RefCell<Vec<Seg>>,
    /// The record being read, for the record cap the reader holds.
    record: Rc<RecordMark>,
}

impl Shared {
    /// Stashes `err` and returns a serde error that unwinds the deserializer.
    pub(crate) fn fail<E: de::Error>(&self, err: ScanError) -> E {
        *self.stash.borrow_mut() = Some(err);
        E::custom("aborted by the record handler")
    }

    pub(crate) fn enter(&self, key: &'static str) {
        self.path.borrow_mut().push(Seg::Key(key));
    }

    pub(crate) fn enter_index(&self, i: usize) {
        self.path.borrow_mut().push(Seg::Index(i));
    }

    pub(crate) fn leave(&self) {
        self.path.borrow_mut().pop();
    }

    fn set_index(&self, i: usize) {
        if let Some(Seg::Index(x)) = self.path.borrow_mut().last_mut() {
            *x = i;
        }
    }

    pub(crate) fn path_string(&self) -> String {
        let mut s = String::from("$");
        for seg in self.path.borrow().iter() {
            match seg {
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// The error for a read the [`Counting`] reader stopped.
    pub(crate) fn refused(&self, refusal: &Refusal) -> ScanError {
        match refusal {
            Refusal::Json(v) => ScanError::JsonRefused(v.clone()),
            Refusal::Record { line, cap } => ScanError::RecordTooLarge {
                path: self.path_string(),
                line: *line,
                cap: *cap,
            },
        }
    }

    /// Turns a serde error into the stashed error, or a placed [`ScanError::Json`].
    pub(crate) fn map_error(&self, e: serde_json::Error, offset: u64) -> ScanError {
        if let Some(stashed) = self.stash.borrow_mut().take() {
            return stashed;
        }
        if e.is_io() {
            return ScanError::Io(std::io::Error::other(e.to_string()));
        }
        let full = e.to_string();
        let message = crate::error::one_line(match full.rfind(" at line ") {
            Some(i) => &full[..i],
            None => &full,
        });
        if message.contains("invalid unicode code point") {
            return ScanError::InvalidUtf8 {
                offset,
                context: format!(
                    " (JSON line {}, column {}, at {})",
                    e.line(),
                    e.column(),
                    self.path_string()
                ),
            };
        }
        ScanError::Json {
            path: self.path_string(),
            line: e.line() as u64,
            column: e.column() as u64,
            message,
        }
    }
}

/// A seed visiting an array (or `null`, or a single object) and calling `f` per element.
pub(crate) struct Each<'s, T, F> {
    shared: &'s Shared,
    f: F,
    _t: PhantomData<fn() -> T>,
}

/// Builds an [`Each`] seed.
pub(crate) fn each<T, F>(shared: &Shared, f: F) -> Each<'_, T, F>
where
    F: FnMut(T) -> Result<(), ScanError>,
{
    Each {
        shared,
        f,
        _t: PhantomData,
    }
}

impl<'de, T, F> DeserializeSeed<'de> for Each<'_, T, F>
where
    T: Deserialize<'de>,
    F: FnMut(T) -> Result<(), ScanError>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T, F> Visitor<'de> for Each<'_, T, F>
where
    T: Deserialize<'de>,
    F: FnMut(T) -> Result<(), ScanError>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.shared.path.borrow_mut().push(Seg::Index(0));
        // Each element is a record under the record cap; an enclosing record is counted
        // again from the end of this list.
        let outer = self.shared.record.suspend();
        let mut i = 0usize;
        loop {
            self.shared.set_index(i);
            self.shared.record.start();
            let next = seq.next_element::<T>()?;
            self.shared.record.end();
            match next {
                Some(x) => (self.f)(x).map_err(|e| self.shared.fail(e))?,
                None => break,
            }
            i += 1;
        }
        self.shared.record.resume(outer);
        self.shared.path.borrow_mut().pop();
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        // A single record where a list was expected: counted from here.
        let outer = self.shared.record.suspend();
        self.shared.record.start();
        let x = T::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.shared.record.resume(outer);
        (self.f)(x).map_err(|e| self.shared.fail(e))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Skips the BOM, checks for emptiness, and runs `seed` over the whole input, requiring
/// nothing but whitespace after the document.
pub(crate) fn run<R, S>(
    input: &mut Counting<'_, R>,
    shared: &Shared,
    seed: S,
) -> Result<(), ScanError>
where
    R: BufRead,
    S: for<'de> DeserializeSeed<'de, Value = ()>,
{
    skip_bom(input)?;
    input.watch_records(Rc::clone(&shared.record));
    let result = {
        let mut de = serde_json::Deserializer::from_reader(&mut *input);
        seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v))
    };
    result.map_err(|e| match input.refusal() {
        Some(refusal) => shared.refused(&refusal),
        None => shared.map_error(e, input.offset()),
    })
}

/// Consumes a UTF-8 BOM if present; errors with [`ScanError::Empty`] on empty input.
pub(crate) fn skip_bom<R: BufRead>(input: &mut Counting<'_, R>) -> Result<(), ScanError> {
    let buf = input.fill_buf()?;
    if buf.is_empty() {
        return Err(ScanError::Empty);
    }
    if buf.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    Ok(())
}

/// String form of a scalar JSON value (strings as-is, numbers/bools printed); `None` for
/// null, empty strings and containers.
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Number from a JSON number or numeric string.
pub(crate) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Strings from a string (optionally split on `sep`) or an array of scalars.
pub(crate) fn strings(v: &Value, sep: Option<char>) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(scalar).collect(),
        Value::String(s) => match sep {
            Some(c) => s
                .split(c)
                .map(|x| x.trim().trim_start_matches("- ").trim())
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect(),
            None => scalar(v).into_iter().collect(),
        },
        _ => scalar(v).into_iter().collect(),
    }
}

/// Member `key` of an object value (`Null` when absent).
pub(crate) fn get<'v>(v: &'v Value, key: &str) -> &'v Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// First present scalar among `keys` of `v`.
pub(crate) fn first_str(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| v.get(*k).and_then(scalar))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::Control;

    #[test]
    fn each_streams_and_reports_path() {
        let data = br#"[{"a":1},{"a":2},{"a":"x"}]"#;
        let ctl = Control::default();
        let mut input = Counting::new(&data[..], &ctl);
        let shared = Shared::default();
        let mut seen = Vec::new();
        #[derive(Deserialize)]
        struct A {
            a: u32,
        }
        let err = run(
            &mut input,
            &shared,
            each(&shared, |x: A| {
                seen.push(x.a);
                Ok(())
            }),
        )
        .unwrap_err();
        assert_eq!(seen, vec![1, 2]);
        let msg = err.to_string();
        assert!(msg.contains("$[2]"), "{msg}");
    }

    #[test]
    fn handler_error_passes_through() {
        let data = br#"[1,2,3]"#;
        let ctl = Control::default();
        let mut input = Counting::new(&data[..], &ctl);
        let shared = Shared::default();
        let err = run(
            &mut input,
            &shared,
            each(&shared, |x: u32| {
                if x == 2 {
                    Err(ScanError::Cancelled)
                } else {
                    Ok(())
                }
            }),
        )
        .unwrap_err();
        assert!(matches!(err, ScanError::Cancelled));
    }
}
