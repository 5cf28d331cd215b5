//! Table mappings, written by hand to match `migrations/`. Behaviour lives in the
//! repositories beside this folder, not here.

pub mod claim;
pub mod claim_event;
pub mod claimant_session;
pub mod document;
pub mod draft;
pub mod holiday;
pub mod idempotency_key;
pub mod outbox;
pub mod policy_amount;
pub mod throttle;
pub mod time_target;
