//! Provinces, NHSO regions 1–13 and their offices. A case is decided by the regional office
//! whose area contains the province of the service unit where the treatment happened.

use super::region_data::{OFFICES, PROVINCES};
use serde::{Deserialize, Serialize};

/// An NHSO region, 1 to 13 (13 is Bangkok).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Region(u8);

impl Region {
    pub fn new(n: u8) -> Option<Self> {
        (1..=13).contains(&n).then_some(Self(n))
    }
    pub fn number(self) -> u8 {
        self.0
    }
    pub fn all() -> impl Iterator<Item = Region> {
        (1..=13).map(Region)
    }
    pub fn office(self) -> &'static Office {
        OFFICES
            .iter()
            .find(|o| o.region == self.0)
            .expect("every region has an office")
    }
    pub fn provinces(self) -> impl Iterator<Item = &'static Province> {
        PROVINCES.iter().filter(move |p| p.region == self.0)
    }
}

/// A province's two-digit code as used by the Ministry of Interior (10 = Bangkok).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProvinceCode(u8);

impl ProvinceCode {
    /// Only the 77 codes in the province table are valid.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.len() != 2 {
            return None;
        }
        let n: u8 = s.parse().ok()?;
        PROVINCES.iter().any(|p| p.code == n).then_some(Self(n))
    }
    pub fn code(self) -> u8 {
        self.0
    }
    pub fn province(self) -> &'static Province {
        PROVINCES
            .iter()
            .find(|p| p.code == self.0)
            .expect("parsed codes exist")
    }
    /// The region that decides cases from service units in this province.
    pub fn region(self) -> Region {
        Region(self.province().region)
    }
}

impl std::fmt::Display for ProvinceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Province {
    pub code: u8,
    pub name_th: &'static str,
    pub name_en: &'static str,
    pub region: u8,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Office {
    pub region: u8,
    pub name_th: &'static str,
    pub name_en: &'static str,
    pub seat_province_code: u8,
    pub address_th: Option<&'static str>,
    pub phone: Option<&'static str>,
    pub fax: Option<&'static str>,
    pub web: Option<&'static str>,
}

/// All provinces, sorted by Thai name for pickers.
/// Provinces as a Thai reader looks for them: in Thai dictionary order.
pub fn provinces_by_thai_name() -> Vec<&'static Province> {
    super::region_data::THAI_ORDER
        .iter()
        .filter_map(|code| PROVINCES.iter().find(|p| p.code == *code))
        .collect()
}

pub fn provinces_by_english_name() -> Vec<&'static Province> {
    let mut v: Vec<_> = PROVINCES.iter().collect();
    v.sort_by(|a, b| a.name_en.cmp(b.name_en));
    v
}

pub fn all_provinces() -> &'static [Province] {
    &PROVINCES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_are_offered_in_thai_dictionary_order() {
        let collator = icu_collator::Collator::try_new(
            "th".parse::<icu_locale_core::Locale>().unwrap().into(),
            Default::default(),
        )
        .unwrap();
        let mut expected: Vec<&str> = PROVINCES.iter().map(|p| p.name_th).collect();
        expected.sort_by(|a, b| collator.compare(a, b));
        let offered: Vec<&str> = provinces_by_thai_name().iter().map(|p| p.name_th).collect();
        assert_eq!(offered, expected);
        // What a Thai reader checks: Chiang Mai under ช, right after Chiang Rai.
        assert_eq!(offered.iter().position(|n| *n == "เชียงใหม่"), Some(13));
        assert_eq!(offered[12], "เชียงราย");
    }

    #[test]
    fn seventy_seven_provinces_each_in_one_of_thirteen_regions() {
        assert_eq!(PROVINCES.len(), 77);
        for p in PROVINCES.iter() {
            let code = ProvinceCode::parse(&format!("{:02}", p.code)).unwrap();
            assert!(Region::new(code.region().number()).is_some());
        }
        for r in Region::all() {
            assert!(
                r.provinces().count() >= 1,
                "region {} has provinces",
                r.number()
            );
            assert_eq!(r.office().region, r.number());
            let seat =
                ProvinceCode::parse(&format!("{:02}", r.office().seat_province_code)).unwrap();
            assert_eq!(seat.region(), r, "an office sits inside its own region");
        }
    }

    /// The compiled table is exactly the reference CSV (kept beside this file).
    #[test]
    fn table_matches_the_reference_csv() {
        let csv = include_str!("provinces.csv");
        let rows: Vec<(u8, u8)> = csv
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (
                    f[0].parse().unwrap(),
                    f[f.len() - 1].trim().parse().unwrap(),
                )
            })
            .collect();
        assert_eq!(rows.len(), 77);
        for (code, region) in rows {
            assert_eq!(
                ProvinceCode::parse(&format!("{code:02}"))
                    .unwrap()
                    .region()
                    .number(),
                region,
                "province {code}"
            );
        }
    }

    #[test]
    fn known_routes() {
        assert_eq!(ProvinceCode::parse("10").unwrap().region().number(), 13); // Bangkok
        assert_eq!(ProvinceCode::parse("50").unwrap().region().number(), 1); // Chiang Mai
        assert_eq!(ProvinceCode::parse("90").unwrap().region().number(), 12); // Songkhla
        assert_eq!(ProvinceCode::parse("11").unwrap().region().number(), 6); // Samut Prakan
        assert!(ProvinceCode::parse("99").is_none());
        assert!(ProvinceCode::parse("1").is_none());
        assert!(ProvinceCode::parse("ab").is_none());
    }
}
