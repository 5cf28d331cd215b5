//! Who may see which claims: staff roles, the regions they are bound to, and the pure
//! decision the server applies to every read (and, later, every action).

use super::region::Region;
use super::status::ClaimStatus;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Gold Card Center / hotline staff: file on someone's behalf, screen. Bound to a
    /// region, or national (the 1330 hotline) when no region is named.
    Intake,
    /// A regional office: refer to committee, schedule meetings, record payments.
    RegionalOfficer,
    /// A member of a region's committee: review and decide.
    Reviewer,
    /// The national appeal board.
    AppealBoard,
    /// Users, holidays, policy data; no access to claims' personal data.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Intake,
        Self::RegionalOfficer,
        Self::Reviewer,
        Self::AppealBoard,
        Self::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::RegionalOfficer => "regional_officer",
            Self::Reviewer => "reviewer",
            Self::AppealBoard => "appeal_board",
            Self::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
    /// Roles that only make sense for one region.
    pub fn needs_region(self) -> bool {
        matches!(self, Self::RegionalOfficer | Self::Reviewer)
    }
    /// Roles that are national by nature and never name a region.
    pub fn is_national(self) -> bool {
        matches!(self, Self::AppealBoard | Self::Admin)
    }
    pub fn label_th(self) -> &'static str {
        match self {
            Self::Intake => "เจ้าหน้าที่รับเรื่อง",
            Self::RegionalOfficer => "เจ้าหน้าที่สำนักงานเขต",
            Self::Reviewer => "อนุกรรมการ",
            Self::AppealBoard => "คณะกรรมการพิจารณาอุทธรณ์",
            Self::Admin => "ผู้ดูแลระบบ",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Intake => "Intake",
            Self::RegionalOfficer => "Regional officer",
            Self::Reviewer => "Committee reviewer",
            Self::AppealBoard => "Appeal board",
            Self::Admin => "Administrator",
        }
    }
}

/// One role held by a user, with its region where it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub region: Option<Region>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantError {
    RegionRequired,
    RegionNotAllowed,
}

impl Grant {
    pub fn new(role: Role, region: Option<Region>) -> Result<Self, GrantError> {
        match (role.needs_region(), role.is_national(), region) {
            (true, _, None) => Err(GrantError::RegionRequired),
            (_, true, Some(_)) => Err(GrantError::RegionNotAllowed),
            _ => Ok(Self { role, region }),
        }
    }

    /// Grants that need a second administrator's approval: administration itself, and any
    /// national view of claims' personal data (the hotline's intake, the appeal board).
    pub fn is_privileged(&self) -> bool {
        self.role == Role::Admin
            || (self.region.is_none() && matches!(self.role, Role::Intake | Role::AppealBoard))
    }

    fn covers(&self, region: Region) -> bool {
        self.region.is_none_or(|r| r == region)
    }

    /// Whether this grant lets its holder see `case`.
    pub fn can_view(&self, case: Case) -> bool {
        use ClaimStatus as S;
        match self.role {
            Role::Intake | Role::RegionalOfficer => self.covers(case.region),
            // A committee sees what was referred to it (and what became of it); never a claim
            // turned down at screening, nor that claim's appeal.
            Role::Reviewer => self.covers(case.region) && case.referred,
            Role::AppealBoard => matches!(case.status, S::Appealed | S::AppealDecided),
            Role::Admin => false,
        }
    }
}

/// What decides who may see a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    pub region: Region,
    pub status: ClaimStatus,
    /// Referred to the region's committee at some point (it stays referred after a
    /// decision, and moves with the claim when an undecided case is rerouted).
    pub referred: bool,
}

/// Whether any of a user's grants lets them see the claim.
pub fn can_view(grants: &[Grant], case: Case) -> bool {
    grants.iter().any(|g| g.can_view(case))
}

/// The regions a user's grants reach, in order: all 13 with any national grant.
pub fn regions_of(grants: &[Grant]) -> Vec<Region> {
    if grants.iter().any(|g| g.region.is_none()) {
        return Region::all().collect();
    }
    let mut regions: Vec<Region> = grants.iter().filter_map(|g| g.region).collect();
    regions.sort_by_key(|r| r.number());
    regions.dedup();
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u8) -> Region {
        Region::new(n).unwrap()
    }

    #[test]
    fn region_bound_roles_need_their_region() {
        assert_eq!(
            Grant::new(Role::Reviewer, None),
            Err(GrantError::RegionRequired)
        );
        assert_eq!(
            Grant::new(Role::Admin, Some(r(1))),
            Err(GrantError::RegionNotAllowed)
        );
        assert!(Grant::new(Role::Intake, None).is_ok());
        assert!(Grant::new(Role::Intake, Some(r(4))).is_ok());
    }

    #[test]
    fn the_view_matrix() {
        let reviewer3 = Grant::new(Role::Reviewer, Some(r(3))).unwrap();
        let officer3 = Grant::new(Role::RegionalOfficer, Some(r(3))).unwrap();
        let hotline = Grant::new(Role::Intake, None).unwrap();
        let board = Grant::new(Role::AppealBoard, None).unwrap();
        let admin = Grant::new(Role::Admin, None).unwrap();
        let case = |n, status, referred| Case {
            region: r(n),
            status,
            referred,
        };
        for s in ClaimStatus::ALL {
            for referred in [false, true] {
                assert!(
                    !reviewer3.can_view(case(5, s, referred)),
                    "a region-3 reviewer never sees region 5"
                );
                assert!(!officer3.can_view(case(5, s, referred)));
                assert!(officer3.can_view(case(3, s, referred)));
                assert!(hotline.can_view(case(5, s, referred)));
                assert!(!admin.can_view(case(3, s, referred)), "admins do not read claims");
                assert_eq!(
                    reviewer3.can_view(case(3, s, referred)),
                    referred,
                    "a committee sees exactly what was referred to it ({s:?})"
                );
            }
        }
        assert!(board.can_view(case(9, ClaimStatus::Appealed, false)));
        assert!(!board.can_view(case(9, ClaimStatus::Referred, true)));
        assert!(can_view(&[reviewer3, board], case(7, ClaimStatus::Appealed, false)));
    }
}
