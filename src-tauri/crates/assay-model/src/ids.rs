//! Typed identifiers for the records the API takes by id, so one kind cannot be passed where
//! another is expected: `apply_library_entry(&entry, &finding)` does not compile.
//!
//! Invariant: each is a plain wrapper of the stored value (a uuid, an objective id, a SHA-256, a
//! row number); serde and the TypeScript bindings see the inner value, so files and IPC keep
//! their shape.

use serde::{Deserialize, Serialize};

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a stored or user-given id (surrounding whitespace removed).
            pub fn new(id: impl Into<String>) -> Self {
                let id = id.into();
                let trimmed = id.trim();
                if trimmed.len() == id.len() {
                    $name(id)
                } else {
                    $name(trimmed.to_owned())
                }
            }

            /// The id as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name::new(id)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name::new(id)
            }
        }
    };
}

text_id!(
    /// A finding (its uuid).
    FindingId
);
text_id!(
    /// An assessment objective of the baseline (e.g. `ac-2_obj.a-1`).
    ObjectiveId
);
text_id!(
    /// A stored evidence file (the SHA-256 of its bytes).
    EvidenceId
);
text_id!(
    /// An entry of the finding library (its uuid).
    LibraryEntryId
);
text_id!(
    /// A member of the assessment team or a CSP point of contact (its uuid).
    TeamMemberId
);
text_id!(
    /// An SSP inventory item (its uuid).
    InventoryItemId
);
text_id!(
    /// A control or enhancement of the baseline (e.g. `ac-2.1`).
    ControlId
);

/// A weakness: one tool and plugin across all hosts (its row number in the engagement).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct WeaknessId(#[cfg_attr(feature = "specta", specta(type = u32))] pub i64);

impl std::fmt::Display for WeaknessId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_their_inner_value_and_trim() {
        let f = FindingId::new(" 9b1c ");
        assert_eq!(f.as_str(), "9b1c");
        assert_eq!(serde_json::to_string(&f).unwrap(), "\"9b1c\"");
        let back: FindingId = serde_json::from_str("\"9b1c\"").unwrap();
        assert_eq!(back, f);
        assert_eq!(serde_json::to_string(&WeaknessId(7)).unwrap(), "7");
    }
}
