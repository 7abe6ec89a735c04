//! Incremental deserialization shared by both formats: hand-written seeds read a document's top-level
//! containers so that its large lists (SSP users, components, inventory items, implemented requirements and
//! resources; catalog groups and controls) are handed over one element at a time, and a position tracker
//! turns each element's place in the input into progress reports and cancel checks.
//!
//! Why: deserializing the whole document into raw structs and converting afterwards holds the raw and the
//! converted form at once (peak memory), and serde_json offers no progress hook; reading through an
//! `io::Read` wrapper would give one but costs several times the parse itself. serde_json hands map keys
//! without escapes out as slices of the input, so a key's address is its byte offset in the document.
//!
//! Invariant: a reader implementing `Fields` reads the same JSON-shaped names the derived raw structs would;
//! keys it does not know are skipped. Positions are only taken from strings that lie inside the input, so
//! owned keys (the XML tree's) never move progress.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, value::BorrowedStrDeserializer, value::MapAccessDeserializer, DeserializeSeed,
    Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::Deserialize;

use crate::Progress;

/// Turns positions in the input into throttled progress reports and cancel checks.
pub(crate) struct Tracker<'a> {
    base: usize,
    len: usize,
    progress: Progress<'a>,
    /// Set when the caller's cancel flag stopped the parse (the deserializer's error is then not a
    /// problem of the document).
    cancelled: bool,
}

impl<'a> Tracker<'a> {
    pub(crate) fn new(text: &str, progress: Progress<'a>) -> Tracker<'a> {
        Tracker {
            base: text.as_ptr().addr(),
            len: text.len(),
            progress,
            cancelled: false,
        }
    }

    /// Reports that parsing has reached `s`, if `s` is a slice of the input.
    fn reached<E: de::Error>(&mut self, s: &str) -> Result<(), E> {
        let offset = s.as_ptr().addr().wrapping_sub(self.base);
        if offset > self.len {
            return Ok(());
        }
        self.progress.tick(offset as u64).map_err(|_| {
            self.cancelled = true;
            E::custom("import cancelled")
        })
    }
}

/// A map key, borrowed from the input where the deserializer allows it.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// A reader of hand-dispatched objects; `Level` says which object a key belongs to.
pub(crate) trait Fields {
    /// Which object is being read.
    type Level: Copy;

    /// Reads (or skips) the value of `key` in the object at `level`.
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        level: Self::Level,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// The read's position tracker.
    fn tracker(&mut self) -> &mut dyn Track;
}

/// What a parse needs of a `Tracker` (a trait object, so readers need not expose its lifetime).
pub(crate) trait Track {
    /// First report (0 bytes done) and cancel check.
    fn start(&mut self) -> Result<(), crate::OscalError>;
    /// Final report and cancel check once the parse has succeeded.
    fn finish(&mut self) -> Result<(), crate::OscalError>;
    /// True when the caller's cancel flag stopped the parse.
    fn cancelled(&self) -> bool;
}

impl Track for Tracker<'_> {
    fn start(&mut self) -> Result<(), crate::OscalError> {
        self.progress.tick(0)
    }

    fn finish(&mut self) -> Result<(), crate::OscalError> {
        self.progress.finish()
    }

    fn cancelled(&self) -> bool {
        self.cancelled
    }
}

/// Reads one object of `reader` at `level`.
pub(crate) struct Object<'r, R: ?Sized, L> {
    reader: &'r mut R,
    level: L,
}

impl<'r, R: ?Sized, L> Object<'r, R, L> {
    pub(crate) fn new(reader: &'r mut R, level: L) -> Object<'r, R, L> {
        Object { reader, level }
    }
}

impl<'de, R: Fields + ?Sized> DeserializeSeed<'de> for Object<'_, R, R::Level> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, R: Fields + ?Sized> Visitor<'de> for Object<'_, R, R::Level> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            self.reader.field(self.level, key.as_str(), &mut map)?;
        }
        Ok(())
    }
}

/// Reads a list element by element, passing each to `f`; every element reports its position.
pub(crate) struct Each<'t, 'a, T, F> {
    tracker: &'t mut Tracker<'a>,
    f: F,
    item: PhantomData<fn() -> T>,
}

impl<'t, 'a, T, F> Each<'t, 'a, T, F> {
    pub(crate) fn new(tracker: &'t mut Tracker<'a>, f: F) -> Self {
        Each {
            tracker,
            f,
            item: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(T)> DeserializeSeed<'de> for Each<'_, '_, T, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(T)> Visitor<'de> for Each<'_, '_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Worded as serde's own `Vec` so messages do not depend on how a list is read.
        f.write_str("a sequence")
    }

    fn visit_seq<S: SeqAccess<'de>>(mut self, mut seq: S) -> Result<(), S::Error> {
        while let Some(item) = seq.next_element_seed(Element::<T> {
            tracker: &mut *self.tracker,
            item: PhantomData,
        })? {
            (self.f)(item);
        }
        Ok(())
    }
}

/// Deserializes one list element, reporting the position of its first key.
struct Element<'t, 'a, T> {
    tracker: &'t mut Tracker<'a>,
    item: PhantomData<fn() -> T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Element<'_, '_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Element<'_, '_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Worded as serde's derived visitor of `T` ("struct Component").
        let name = std::any::type_name::<T>();
        write!(f, "struct {}", name.rsplit("::").next().unwrap_or(name))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let first = map.next_key::<Key<'de>>()?;
        if let Some(Key::Borrowed(key)) = &first {
            self.tracker.reached(key)?;
        }
        T::deserialize(MapAccessDeserializer::new(Replay { first, map }))
    }
}

/// A map whose first key has already been read: hands that key out again, then continues.
struct Replay<'de, A> {
    first: Option<Key<'de>>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(Key::Borrowed(key)) => seed
                .deserialize(BorrowedStrDeserializer::<A::Error>::new(key))
                .map(Some),
            Some(Key::Owned(key)) => seed.deserialize(key.into_deserializer()).map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReadOptions;

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "kebab-case")]
    struct Item {
        id: u32,
        name: String,
    }

    /// Reads `{"items": [...], ...}`, collecting items and skipping everything else.
    struct Items<'a> {
        tracker: Tracker<'a>,
        items: Vec<Item>,
    }

    impl Fields for Items<'_> {
        type Level = ();
        fn field<'de, A: MapAccess<'de>>(
            &mut self,
            (): (),
            key: &str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                "items" => {
                    let items = &mut self.items;
                    map.next_value_seed(Each::new(&mut self.tracker, |i| items.push(i)))
                }
                _ => map.next_value::<de::IgnoredAny>().map(drop),
            }
        }
        fn tracker(&mut self) -> &mut dyn Track {
            &mut self.tracker
        }
    }

    /// Reads `text`, returning the items read and whether the tracker saw a cancellation.
    fn read(
        text: &str,
        opts: &ReadOptions<'_>,
    ) -> (Result<(), serde_json::Error>, Vec<Item>, bool) {
        let mut reader = Items {
            tracker: Tracker::new(text, Progress::new("t.json", text.len() as u64, opts)),
            items: Vec::new(),
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let result = Object::new(&mut reader, ())
            .deserialize(&mut de)
            .and_then(|()| de.end());
        let cancelled = reader.tracker().cancelled();
        (result, reader.items, cancelled)
    }

    const TEXT: &str = r#"{"x": [1, {"a": 2}], "items": [{"id": 1, "name": "a"}, {"name": "b", "id": 2}], "y": 3}"#;

    #[test]
    fn elements_arrive_in_order_and_report_their_position() {
        let seen = std::cell::RefCell::new(Vec::new());
        let report = |done: u64, total: u64| seen.borrow_mut().push((done, total));
        let opts = ReadOptions {
            progress: Some(&report),
            ..ReadOptions::default()
        };
        let (result, items, cancelled) = read(TEXT, &opts);
        result.unwrap();
        assert!(!cancelled);
        let names: Vec<(u32, &str)> = items.iter().map(|i| (i.id, i.name.as_str())).collect();
        assert_eq!(names, [(1, "a"), (2, "b")]);
        // Reports are throttled to one per MiB: only the first element (at its first key) reports here.
        let first_key = TEXT.find(r#"id": 1"#).unwrap() as u64;
        assert_eq!(seen.borrow().as_slice(), &[(first_key, TEXT.len() as u64)]);
    }

    #[test]
    fn a_set_cancel_flag_stops_at_the_first_element() {
        let cancel = std::sync::atomic::AtomicBool::new(true);
        let opts = ReadOptions {
            cancel: Some(&cancel),
            ..ReadOptions::default()
        };
        let (result, items, cancelled) = read(TEXT, &opts);
        assert!(result.unwrap_err().to_string().contains("import cancelled"));
        assert!(cancelled && items.is_empty());
        // A document error is not mistaken for a cancellation.
        let (result, _, cancelled) = read(r#"{"items": [{"id": "one"}]}"#, &ReadOptions::default());
        assert!(result.is_err() && !cancelled);
    }

    #[test]
    fn keys_outside_the_input_do_not_move_progress() {
        let cancel = std::sync::atomic::AtomicBool::new(true);
        let opts = ReadOptions {
            cancel: Some(&cancel),
            ..ReadOptions::default()
        };
        let text = String::from("{}");
        let mut tracker = Tracker::new(&text, Progress::new("t.json", 2, &opts));
        let elsewhere = String::from("elsewhere, far from the input");
        assert!(tracker
            .reached::<serde_json::Error>(&elsewhere[5..])
            .is_ok());
        assert!(tracker.reached::<serde_json::Error>(&text[1..]).is_err());
    }
}
