//! The rules of Section 41 preliminary assistance, free of I/O and framework types.
//!
//! Everything here compiles for the browser (hydrate) and the server (ssr) alike, so a
//! person typing into the form and the server receiving it apply the very same checks.

pub mod access;
pub mod actions;
pub mod dates;
pub mod consistency;
pub mod csv;
pub mod deadlines;
pub mod disclosure;
pub mod intake;
pub mod money;
pub mod national_id;
pub mod notice;
pub mod payments;
pub mod petition;
pub mod policy;
pub mod reference;
pub mod region;
pub mod reports;
mod region_data;
pub mod screening;
pub mod stats;
pub mod status;
pub mod window;

pub use dates::*;
pub use national_id::NationalId;
pub use petition::{ErrorCode, FieldError, Petition, RawPetition, Relation};
pub use region::{Office, Province, ProvinceCode, Region};
pub use status::{Actor, ClaimStatus, Event, TransitionError};
pub use window::{filing_deadline, HolidayCalendar, Holidays};
