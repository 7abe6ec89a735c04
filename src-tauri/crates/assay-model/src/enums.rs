//! A macro for the closed vocabularies of the domain (impact levels, roles, ...).
//!
//! Each vocabulary has one stored/CLI code per variant and a human label; parsing is
//! case-insensitive and the error lists the accepted codes, so a typo gets a useful message.

/// Declares a string-coded enum with `code()`, `label()`, `ALL`, `Display` and `FromStr`.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the engagement file and accepted on the command line.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The wording used in documents and the UI.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code().eq_ignore_ascii_case(wanted) || v.label().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let codes: Vec<&str> = $name::ALL.iter().map(|v| v.code()).collect();
                        format!("'{}' is not a valid {}; expected one of: {}", wanted, $what, codes.join(", "))
                    })
            }
        }
    };
}

pub(crate) use string_enum;
