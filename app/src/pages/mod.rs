//! One module per page.

pub mod check_claim;
pub mod claim_status;
pub mod file_claim;
pub mod home;
pub mod not_found;
pub mod offices;
pub mod staff;

/// Sets the HTTP status of the page being rendered (server only; a no-op in the browser).
pub fn set_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(r), Ok(s)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(_code),
    ) {
        r.set_status(s);
    }
}
