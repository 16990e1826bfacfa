//! The configuration file as written: serde structs that mirror the TOML,
//! strict about unknown keys, with byte spans kept for error messages.
//!
//! Values that admit several shapes (a milestone is an integer, a spec string
//! or a table; a duration is a string or whole seconds) get hand-written
//! visitors rather than `#[serde(untagged)]`: they give precise error
//! messages and avoid buffering each of (possibly) 100,000 entries. The
//! integer-or-string shape has one visitor, [`IntOrText`], named by what
//! each key expects.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

/// The whole file. Every table is optional; absent means defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub milestones: Option<Vec<Spanned<RawMilestone>>>,
    pub alerts: Option<RawAlerts>,
    pub display: Option<RawDisplay>,
    pub world: Option<RawWorld>,
    pub bar: Option<RawBar>,
}

/// `[bar]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBar {
    pub soon: Option<Spanned<RawDuration>>,
    pub imminent: Option<Spanned<RawDuration>>,
}

/// `[world]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorld {
    pub cities: Option<Spanned<Vec<Spanned<RawCity>>>>,
    pub share: Option<Spanned<Vec<Spanned<RawCity>>>>,
}

/// One city: `"Asia/Tokyo"`, or `{ zone = "Asia/Kolkata", name = "Mumbai" }`.
#[derive(Debug)]
pub enum RawCity {
    Zone(String),
    Table(RawCityTable),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCityTable {
    pub zone: Spanned<String>,
    pub name: Option<String>,
}

/// `[alerts]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    pub remind: Option<Spanned<RawRemind>>,
    pub desktop: Option<bool>,
    pub bell: Option<bool>,
    pub exec: Option<Spanned<Vec<String>>>,
    pub timeout: Option<Spanned<RawDuration>>,
    pub catch_up: Option<Spanned<RawDuration>>,
    pub countdown: Option<Spanned<RawDuration>>,
    pub sound: Option<bool>,
}

/// `[display]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDisplay {
    pub zone: Option<Spanned<String>>,
    pub color: Option<super::ColorMode>,
}

/// One entry of `milestones`.
#[derive(Debug)]
pub enum RawMilestone {
    /// `2000000000`: an explicit instant.
    Int(i64),
    /// `"every:100000000"`, `"2100000000=Label"`: any rule spec.
    Spec(String),
    /// `{ at = ..., label = ..., notify = ... }` or `{ rule = ..., notify = ... }`.
    Table(Box<RawMilestoneTable>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestoneTable {
    pub at: Option<Spanned<RawInstant>>,
    pub rule: Option<String>,
    pub label: Option<String>,
    pub notify: Option<bool>,
}

/// An integer or a string.
#[derive(Debug)]
pub enum Scalar {
    Int(i64),
    Text(String),
}

/// A value written as an integer or a string; `E` says what the key expects.
#[derive(Debug)]
pub struct IntOrText<E> {
    pub value: Scalar,
    expects: PhantomData<E>,
}

/// What a key of the integer-or-string shape expects, for error messages.
pub trait Expects {
    const WHAT: &'static str;
}

#[derive(Debug)]
pub struct InstantValue;
impl Expects for InstantValue {
    const WHAT: &'static str = "epoch seconds (an integer) or a date-time string";
}

#[derive(Debug)]
pub struct DurationValue;
impl Expects for DurationValue {
    const WHAT: &'static str = "a duration such as \"10s\", \"5m\", \"1h30m\" (or whole seconds)";
}

/// `at = 2222222222` or `at = "2040-01-01 00:00"`.
pub type RawInstant = IntOrText<InstantValue>;

/// A duration: `"1h30m"`, or whole seconds as an integer.
pub type RawDuration = IntOrText<DurationValue>;

/// `remind = ["1d", "1h"]`, or one string as on the command line: `"1d,1h"`, `"none"`.
#[derive(Debug)]
pub enum RawRemind {
    List(Vec<Spanned<RawDuration>>),
    Text(String),
}

fn u64_to_i64<E: de::Error>(v: u64) -> Result<i64, E> {
    i64::try_from(v).map_err(|_| E::custom(format!("{v} is out of range (at most {})", i64::MAX)))
}

impl<'de> Deserialize<'de> for RawMilestone {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawMilestone;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a milestone: an integer, a rule spec string, or a table with `at` or `rule`",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawMilestone, E> {
                Ok(RawMilestone::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawMilestone, E> {
                u64_to_i64(v).map(RawMilestone::Int)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawMilestone, E> {
                Ok(RawMilestone::Spec(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawMilestone, E> {
                Ok(RawMilestone::Spec(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawMilestone, A::Error> {
                RawMilestoneTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|table| RawMilestone::Table(Box::new(table)))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawCity {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCity;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a city: an IANA zone name such as \"Asia/Tokyo\", or a table \
                     { zone = \"Asia/Kolkata\", name = \"Mumbai\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCity, E> {
                Ok(RawCity::Zone(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawCity, A::Error> {
                RawCityTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawCity::Table)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de, E: Expects> Deserialize<'de> for IntOrText<E> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<E>(PhantomData<E>);
        impl<'de, E: Expects> Visitor<'de> for V<E> {
            type Value = IntOrText<E>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(E::WHAT)
            }
            fn visit_i64<Er: de::Error>(self, v: i64) -> Result<IntOrText<E>, Er> {
                Ok(IntOrText::new(Scalar::Int(v)))
            }
            fn visit_u64<Er: de::Error>(self, v: u64) -> Result<IntOrText<E>, Er> {
                u64_to_i64(v).map(|v| IntOrText::new(Scalar::Int(v)))
            }
            fn visit_str<Er: de::Error>(self, v: &str) -> Result<IntOrText<E>, Er> {
                Ok(IntOrText::new(Scalar::Text(v.to_owned())))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<E> IntOrText<E> {
    fn new(value: Scalar) -> IntOrText<E> {
        IntOrText {
            value,
            expects: PhantomData,
        }
    }
}

impl<'de> Deserialize<'de> for RawRemind {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRemind;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of durations such as [\"1d\", \"1h\"], or \"none\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawRemind, E> {
                Ok(RawRemind::Text(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawRemind, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<RawDuration>>()? {
                    out.push(item);
                }
                Ok(RawRemind::List(out))
            }
        }
        d.deserialize_any(V)
    }
}
