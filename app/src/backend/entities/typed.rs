//! The domain's values as stored: a claim's status, relation and channel as their text
//! keys, its region as a number. Rows are read into these types once, where sea-orm reads
//! them; a value no domain type knows fails that read (an error naming the column's type),
//! rather than being parsed, and perhaps skipped, at each use.

use crate::domain::access::Role;
use crate::domain::{ClaimStatus, Region, Relation};
use crate::domain::intake::Channel;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, StringLen, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a known {1}")]
struct Unknown(String, &'static str);

fn unknown(from: &'static str, into: &'static str, value: String) -> TryGetError {
    TryGetError::DbErr(DbErr::TryIntoErr {
        from,
        into,
        source: std::sync::Arc::new(Unknown(value, into)),
    })
}

/// A domain enum kept as its `as_str` key, read back with its `parse`.
macro_rules! stored_as_text {
    ($ty:ty) => {
        impl From<$ty> for Value {
            fn from(v: $ty) -> Self {
                v.as_str().into()
            }
        }

        impl TryGetable for $ty {
            fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
                let s = String::try_get_by(res, idx)?;
                <$ty>::parse(&s).ok_or_else(|| unknown("String", stringify!($ty), s))
            }
        }

        impl ValueType for $ty {
            fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
                <$ty>::parse(&<String as ValueType>::try_from(v)?).ok_or(ValueTypeErr)
            }
            fn type_name() -> String {
                stringify!($ty).to_owned()
            }
            fn array_type() -> ArrayType {
                ArrayType::String
            }
            fn column_type() -> ColumnType {
                ColumnType::String(StringLen::None)
            }
        }
    };
}

stored_as_text!(ClaimStatus);
stored_as_text!(Relation);
stored_as_text!(Channel);
stored_as_text!(Role);

fn region(n: i16) -> Option<Region> {
    <u8 as TryFrom<i16>>::try_from(n).ok().and_then(Region::new)
}

/// A region is kept as its number, 1–13 (`smallint`).
impl From<Region> for Value {
    fn from(r: Region) -> Self {
        i16::from(r.number()).into()
    }
}

impl TryGetable for Region {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        let n = i16::try_get_by(res, idx)?;
        region(n).ok_or_else(|| unknown("i16", "Region", n.to_string()))
    }
}

impl ValueType for Region {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        let n = <i16 as ValueType>::try_from(v)?;
        region(n).ok_or(ValueTypeErr)
    }
    fn type_name() -> String {
        "Region".to_owned()
    }
    fn array_type() -> ArrayType {
        ArrayType::SmallInt
    }
    fn column_type() -> ColumnType {
        ColumnType::SmallInteger
    }
}

/// A grant without a region (national roles) is stored as NULL.
impl Nullable for Region {
    fn null() -> Value {
        Value::SmallInt(None)
    }
}

/// A region numbers an office's contact row (its primary key).
impl sea_orm::TryFromU64 for Region {
    fn try_from_u64(n: u64) -> Result<Self, DbErr> {
        <u8 as TryFrom<u64>>::try_from(n)
            .ok()
            .and_then(Region::new)
            .ok_or(DbErr::ConvertFromU64("Region"))
    }
}
