//! Who may see which claims: staff roles, the regions they are bound to, and the pure
//! decision the server applies to every read (and, later, every action).

use super::region::{ProvinceCode, Region};
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
    /// A provincial public health office (สำนักงานสาธารณสุขจังหวัด), where the booklet lets
    /// people file: assisted intake for its province, the petitions about its province, and
    /// the province's figures. Bound to one province; takes no step in a case.
    ProvincialOffice,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Self::Intake,
        Self::RegionalOfficer,
        Self::Reviewer,
        Self::AppealBoard,
        Self::Admin,
        Self::ProvincialOffice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::RegionalOfficer => "regional_officer",
            Self::Reviewer => "reviewer",
            Self::AppealBoard => "appeal_board",
            Self::Admin => "admin",
            Self::ProvincialOffice => "provincial_office",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
    /// Roles bound to one province (`role:PP`) rather than a region.
    pub fn needs_province(self) -> bool {
        self == Self::ProvincialOffice
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
            Self::ProvincialOffice => "สำนักงานสาธารณสุขจังหวัด",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Intake => "Intake",
            Self::RegionalOfficer => "Regional officer",
            Self::Reviewer => "Committee reviewer",
            Self::AppealBoard => "Appeal board",
            Self::Admin => "Administrator",
            Self::ProvincialOffice => "Provincial health office",
        }
    }
}

/// One role held by a user, with its region where it has one. A provincial office's grant
/// names its province, and its region is the province's (so nothing reading `region` ever
/// takes it for a national grant).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub region: Option<Region>,
    #[serde(default)]
    pub province: Option<ProvinceCode>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantError {
    RegionRequired,
    RegionNotAllowed,
    ProvinceRequired,
}

impl Grant {
    /// A grant of a role bound to a region, or national; a provincial office needs
    /// `Grant::provincial`.
    pub fn new(role: Role, region: Option<Region>) -> Result<Self, GrantError> {
        match (role.needs_region(), role.is_national(), region) {
            _ if role.needs_province() => Err(GrantError::ProvinceRequired),
            (true, _, None) => Err(GrantError::RegionRequired),
            (_, true, Some(_)) => Err(GrantError::RegionNotAllowed),
            _ => Ok(Self {
                role,
                region,
                province: None,
            }),
        }
    }

    /// Whether `province` has a provincial public health office: every province but
    /// Bangkok, whose health department belongs to the city.
    fn has_provincial_office(province: ProvinceCode) -> bool {
        province.code() != 10
    }

    /// The provincial office grant a typed province code names (the admin form, the command
    /// line), if it is a province with such an office.
    pub fn provincial_office(code: &str) -> Option<Self> {
        ProvinceCode::parse(code)
            .filter(|p| Self::has_provincial_office(*p))
            .map(Self::provincial)
    }

    /// The provincial health office of `province`.
    pub fn provincial(province: ProvinceCode) -> Self {
        Self {
            role: Role::ProvincialOffice,
            region: Some(province.region()),
            province: Some(province),
        }
    }

    /// A grant as stored (role, region, province), if it is one the domain allows.
    pub fn stored(
        role: Role,
        region: Option<Region>,
        province: Option<ProvinceCode>,
    ) -> Result<Self, GrantError> {
        match province {
            Some(p) if role.needs_province() && region == Some(p.region()) => {
                Ok(Self::provincial(p))
            }
            Some(_) => Err(GrantError::RegionNotAllowed),
            None => Self::new(role, region),
        }
    }

    /// "role", "role:N" (a region) or "provincial_office:PP" (a province): how a grant is
    /// written on the command line and in the audit log.
    pub fn label(&self) -> String {
        match (self.province, self.region) {
            (Some(p), _) => format!("{}:{:02}", self.role.as_str(), p.code()),
            (None, Some(r)) => format!("{}:{}", self.role.as_str(), r.number()),
            (None, None) => self.role.as_str().to_string(),
        }
    }

    /// Whether this grant lets its holder file a petition about a service unit in
    /// `province` on someone's behalf: intake staff anywhere (a Gold Card Center takes any
    /// petition and the case goes to the deciding region), a provincial office for its own.
    pub fn can_file_for(&self, province: ProvinceCode) -> bool {
        match self.role {
            Role::Intake => true,
            Role::ProvincialOffice => self.province == Some(province),
            _ => false,
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
            Role::ProvincialOffice => self.province.is_some() && self.province == case.province,
        }
    }
}

/// What decides who may see a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    pub region: Region,
    /// The province of the service unit where the treatment happened.
    pub province: Option<ProvinceCode>,
    pub status: ClaimStatus,
    /// Referred to the region's committee at some point (it stays referred after a
    /// decision, and moves with the claim when an undecided case is rerouted).
    pub referred: bool,
}

/// Whether any of a user's grants lets them see the claim.
pub fn can_view(grants: &[Grant], case: Case) -> bool {
    grants.iter().any(|g| g.can_view(case))
}

/// Where a person may file petitions on someone's behalf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilingScope {
    /// Intake staff: about a service unit anywhere (the case is routed to its region).
    Anywhere,
    /// A provincial health office: about service units in its province only.
    Province(ProvinceCode),
}

/// Whether these grants let their holder file for someone, and where.
pub fn filing_scope(grants: &[Grant]) -> Option<FilingScope> {
    if grants.iter().any(|g| g.role == Role::Intake) {
        return Some(FilingScope::Anywhere);
    }
    grants
        .iter()
        .find_map(|g| g.province.filter(|_| g.role == Role::ProvincialOffice))
        .map(FilingScope::Province)
}

/// The one province a user's view of claims is limited to: set when every grant that sees
/// claims is the same provincial office's.
pub fn only_province(grants: &[Grant]) -> Option<ProvinceCode> {
    let mut seeing = grants.iter().filter(|g| g.role != Role::Admin);
    let first = seeing.next()?.province?;
    seeing
        .all(|g| g.role == Role::ProvincialOffice && g.province == Some(first))
        .then_some(first)
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
            province: r(n).provinces().next().map(|p| ProvinceCode::parse(&format!("{:02}", p.code)).unwrap()),
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

    #[test]
    fn a_provincial_office_sees_its_province_and_nothing_else() {
        let p = |s: &str| ProvinceCode::parse(s).unwrap();
        // Chiang Mai (50) and Lamphun (51) are both in region 1.
        let chiang_mai = Grant::provincial(p("50"));
        assert_eq!(chiang_mai.region, Some(r(1)));
        assert_eq!(chiang_mai.label(), "provincial_office:50");
        assert_eq!(
            Grant::new(Role::ProvincialOffice, Some(r(1))),
            Err(GrantError::ProvinceRequired)
        );
        assert_eq!(
            Grant::stored(Role::ProvincialOffice, Some(r(2)), Some(p("50"))),
            Err(GrantError::RegionNotAllowed),
            "a stored grant whose region is not its province's is refused"
        );
        assert_eq!(
            Grant::stored(Role::ProvincialOffice, Some(r(1)), Some(p("50"))),
            Ok(chiang_mai)
        );
        assert!(!chiang_mai.is_privileged());
        for s in ClaimStatus::ALL {
            for referred in [false, true] {
                let at = |code: &str| Case {
                    region: r(1),
                    province: Some(p(code)),
                    status: s,
                    referred,
                };
                assert!(chiang_mai.can_view(at("50")));
                assert!(!chiang_mai.can_view(at("51")), "not Lamphun, in the same region");
                assert!(!chiang_mai.can_view(Case { province: None, ..at("50") }));
            }
        }
        assert!(chiang_mai.can_file_for(p("50")));
        assert!(!chiang_mai.can_file_for(p("51")));
        assert_eq!(regions_of(&[chiang_mai]), vec![r(1)], "never taken for national");
        let intake1 = Grant::new(Role::Intake, Some(r(1))).unwrap();
        assert!(intake1.can_file_for(p("51")));
        assert!(intake1.can_file_for(p("10")), "a Gold Card Center takes any petition");
        assert_eq!(filing_scope(&[chiang_mai]), Some(FilingScope::Province(p("50"))));
        assert_eq!(filing_scope(&[chiang_mai, intake1]), Some(FilingScope::Anywhere));
        assert_eq!(filing_scope(&[Grant::new(Role::Reviewer, Some(r(1))).unwrap()]), None);
        assert_eq!(only_province(&[chiang_mai]), Some(p("50")));
        assert_eq!(only_province(&[chiang_mai, intake1]), None);
        assert_eq!(only_province(&[intake1]), None);
        assert!(!Grant::new(Role::RegionalOfficer, Some(r(1))).unwrap().can_file_for(p("50")));
    }
}
