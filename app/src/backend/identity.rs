//! Who is asking, found one way for every surface (plain-form handlers, the JSON API and
//! server functions, which reach these through `leptos_axum::extract_with_state`):
//! the signed-in staff member, the claimant's session, and (`client::ClientIp`) the client's
//! address as the trusted-proxy setting allows.

use super::cookies::Cookie;
use super::error::AppError;
use super::AppState;
use crate::views::StaffIdentity;
use http::request::Parts;

/// The staff member whose live session cookie the request carries, if any.
pub struct Staff(pub Option<StaffIdentity>);

impl axum::extract::FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        Ok(Self(
            match Cookie::Staff.read(&parts.headers, st.settings.secure_cookies) {
                Some(token) => super::staff::identify(&st.db, token)
                    .await?
                    .map(|(_, me)| me),
                None => None,
            },
        ))
    }
}

/// The claim a claimant's live session cookie opens, if any (see `/check`).
pub struct Claimant(pub Option<uuid::Uuid>);

impl Claimant {
    /// The claim named by `reference`, if this session opens it; otherwise `NotFound`
    /// (a claim that exists but is someone else's looks the same as none).
    pub async fn claim(
        &self,
        db: &sea_orm::DatabaseConnection,
        reference: &str,
    ) -> Result<super::entities::claim::Model, AppError> {
        let opened = self.0.ok_or(AppError::NotFound)?;
        super::claims::find_by_reference(db, reference)
            .await?
            .filter(|c| c.id == opened)
            .ok_or(AppError::NotFound)
    }
}

impl axum::extract::FromRequestParts<AppState> for Claimant {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        Ok(Self(
            match Cookie::Claimant.read(&parts.headers, st.settings.secure_cookies) {
                Some(token) => super::sessions::claim_of(&st.db, token).await?,
                None => None,
            },
        ))
    }
}
