//! Shared support of the reference tests: the hand-built engagement, the text forms of the
//! documents and the compare-or-update helper.

pub mod dump;
pub mod engagement;
pub mod reference;
