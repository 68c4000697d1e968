//! Field-level reading and writing of automerge maps.
//!
//! A record is written as a flat list of fields; writing compares each field with what the
//! document holds and puts only those that differ, so an edit changes only what changed.
//! Reading accepts what other peers may have written: strings as scalars or as automerge Text
//! (as JavaScript peers write them), integers signed or unsigned.

use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ValueRef};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::error::Result;

/// One stored field of a record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    Str(String),
    Int(i64),
    F64(f64),
    Bool(bool),
    /// A list of words or short strings, replaced whole when it changes.
    List(Vec<String>),
    /// The field is left out (deleted if present).
    Absent,
}

impl Field {
    pub fn opt_str(value: Option<&str>) -> Field {
        value.map_or(Field::Absent, |s| Field::Str(s.to_string()))
    }

    pub fn str(value: impl Into<String>) -> Field {
        Field::Str(value.into())
    }

    pub fn date(date: NaiveDate) -> Field {
        Field::Str(date.format("%Y-%m-%d").to_string())
    }

    pub fn opt_date(date: Option<NaiveDate>) -> Field {
        date.map_or(Field::Absent, Field::date)
    }

    pub fn time(time: NaiveTime) -> String {
        time.format("%H:%M").to_string()
    }

    pub fn words<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> Field {
        Field::List(items.into_iter().map(|i| i.to_string()).collect())
    }
}

pub(crate) type Fields = Vec<(&'static str, Field)>;

/// Reads the field `key` of the map `obj` as it is stored now.
pub(crate) fn read_field<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Field {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Str(s) => Field::Str(s.to_string()),
            ScalarValue::Int(i) => Field::Int(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).map_or(Field::Absent, Field::Int),
            ScalarValue::F64(f) => Field::F64(*f),
            ScalarValue::Boolean(b) => Field::Bool(*b),
            ScalarValue::Timestamp(t) => Field::Int(*t),
            _ => Field::Absent,
        },
        Ok(Some((Value::Object(ObjType::Text), id))) => {
            doc.text(&id).map_or(Field::Absent, Field::Str)
        }
        Ok(Some((Value::Object(ObjType::List), id))) => {
            let items = doc
                .list_range(&id, ..)
                .filter_map(|item| match Value::from(item.value.clone()) {
                    Value::Scalar(s) => match s.as_ref() {
                        ScalarValue::Str(s) => Some(s.to_string()),
                        _ => None,
                    },
                    Value::Object(ObjType::Text) => doc.text(item.id()).ok(),
                    Value::Object(_) => None,
                })
                .collect();
            Field::List(items)
        }
        _ => Field::Absent,
    }
}

/// Writes `fields` into the map `obj`, touching only those that differ from what is stored.
pub(crate) fn write_fields<T: Transactable + ReadDoc>(
    tx: &mut T,
    obj: &ObjId,
    fields: &Fields,
) -> Result<()> {
    for (key, field) in fields {
        if read_field(tx, obj, key) == *field {
            continue;
        }
        match field {
            Field::Str(s) => tx.put(obj, *key, s.as_str())?,
            Field::Int(i) => tx.put(obj, *key, *i)?,
            Field::F64(f) => tx.put(obj, *key, *f)?,
            Field::Bool(b) => tx.put(obj, *key, *b)?,
            Field::List(items) => {
                let list = tx.put_object(obj, *key, ObjType::List)?;
                for (i, item) in items.iter().enumerate() {
                    tx.insert(&list, i, item.as_str())?;
                }
            }
            Field::Absent => tx.delete(obj, *key)?,
        }
    }
    Ok(())
}

/// The map stored at `key` in `parent`, if there is one.
pub(crate) fn map_at<D: ReadDoc>(doc: &D, parent: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(parent, key) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

/// The map at `key` in `parent`, created if missing.
pub(crate) fn ensure_map<T: Transactable + ReadDoc>(
    tx: &mut T,
    parent: &ObjId,
    key: &str,
) -> Result<ObjId> {
    match map_at(tx, parent, key) {
        Some(id) => Ok(id),
        None => Ok(tx.put_object(parent, key, ObjType::Map)?),
    }
}

/// Reads typed fields out of one map; every accessor returns `None` for a missing or
/// unreadable field, so a record written by a careless peer is skipped rather than fatal.
pub(crate) struct MapReader<'a, D: ReadDoc> {
    pub doc: &'a D,
    pub obj: ObjId,
}

impl<'a, D: ReadDoc> MapReader<'a, D> {
    pub fn new(doc: &'a D, obj: ObjId) -> Self {
        MapReader { doc, obj }
    }

    pub fn field(&self, key: &str) -> Field {
        read_field(self.doc, &self.obj, key)
    }

    pub fn str(&self, key: &str) -> Option<String> {
        match self.field(key) {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        match self.field(key) {
            Field::Int(i) => Some(i),
            Field::F64(f) if f.fract() == 0.0 => Some(f as i64),
            _ => None,
        }
    }

    pub fn f64(&self, key: &str) -> Option<f64> {
        match self.field(key) {
            Field::F64(f) => Some(f),
            Field::Int(i) => Some(i as f64),
            _ => None,
        }
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.field(key) {
            Field::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn list(&self, key: &str) -> Vec<String> {
        match self.field(key) {
            Field::List(items) => items,
            _ => Vec::new(),
        }
    }

    pub fn rating(&self, key: &str) -> Option<u8> {
        self.int(key)
            .and_then(|i| u8::try_from(i).ok())
            .filter(|r| *r <= 10)
    }

    pub fn date(&self, key: &str) -> Option<NaiveDate> {
        self.str(key)
            .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
    }

    pub fn time(&self, key: &str) -> Option<NaiveTime> {
        self.str(key).and_then(|s| parse_time(&s))
    }

    pub fn instant(&self, key: &str) -> Option<DateTime<Utc>> {
        self.str(key)
            .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(|t| t.with_timezone(&Utc))
    }

    /// Each entry of the map at `key` whose value is a map, with its key.
    pub fn entries(&self, key: &str) -> Vec<(String, MapReader<'a, D>)> {
        let Some(map) = map_at(self.doc, &self.obj, key) else {
            return Vec::new();
        };
        self.doc
            .map_range(&map, ..)
            .filter_map(|item| match item.value {
                ValueRef::Object(ObjType::Map) => Some((
                    item.key.to_string(),
                    MapReader::new(self.doc, item.id().clone()),
                )),
                _ => None,
            })
            .collect()
    }
}

/// Parses "HH:MM".
pub(crate) fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}
