//! Building blocks shared by pages: the page frame, form fields, the error summary.

pub mod form;
pub mod layout;
