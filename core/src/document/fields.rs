//! Field-level reading and writing of automerge maps.
//!
//! A record is written as a flat list of fields; writing compares each field with what the
//! document holds and puts only those that differ, so an edit changes only what changed.
//! Reading accepts what other peers may have written: strings as scalars or as automerge Text
//! (as JavaScript peers write them), integers signed or unsigned.

use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value, ValueRef};
use std::collections::HashMap;

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
        Ok(Some((value, id))) => to_field(doc, value, &id),
        _ => Field::Absent,
    }
}

/// The field a stored value stands for; `id` is the value's object id when it is an object.
fn to_field<D: ReadDoc>(doc: &D, value: Value<'_>, id: &ObjId) -> Field {
    match value {
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(s) => Field::Str(s.to_string()),
            ScalarValue::Int(i) => Field::Int(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).map_or(Field::Absent, Field::Int),
            ScalarValue::F64(f) => Field::F64(*f),
            ScalarValue::Boolean(b) => Field::Bool(*b),
            ScalarValue::Timestamp(t) => Field::Int(*t),
            _ => Field::Absent,
        },
        Value::Object(ObjType::Text) => doc.text(id).map_or(Field::Absent, Field::Str),
        Value::Object(ObjType::List) => Field::List(
            doc.list_range(id, ..)
                .filter_map(|item| {
                    match to_field(doc, Value::from(item.value.clone()), &item.id()) {
                        Field::Str(s) => Some(s),
                        _ => None,
                    }
                })
                .collect(),
        ),
        Value::Object(_) => Field::Absent,
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
///
/// The map is read once, in one pass (one lookup per field costs ten times more in automerge).
pub(crate) struct MapReader<'a, D: ReadDoc> {
    doc: &'a D,
    fields: HashMap<String, Field>,
    maps: Vec<(String, ObjId)>,
}

impl<'a, D: ReadDoc> MapReader<'a, D> {
    pub fn new(doc: &'a D, obj: ObjId) -> Self {
        let mut fields = HashMap::new();
        let mut maps = Vec::new();
        for item in doc.map_range(&obj, ..) {
            let key = item.key.to_string();
            match item.value {
                ValueRef::Object(ObjType::Map) => maps.push((key, item.id())),
                ref value => {
                    let field = to_field(doc, Value::from(value.clone()), &item.id());
                    fields.insert(key, field);
                }
            }
        }
        MapReader { doc, fields, maps }
    }

    pub fn str(&self, key: &str) -> Option<String> {
        match self.fields.get(key) {
            Some(Field::Str(s)) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        match self.fields.get(key) {
            Some(Field::Int(i)) => Some(*i),
            Some(Field::F64(f)) if f.fract() == 0.0 => Some(*f as i64),
            _ => None,
        }
    }

    pub fn f64(&self, key: &str) -> Option<f64> {
        match self.fields.get(key) {
            Some(Field::F64(f)) => Some(*f),
            Some(Field::Int(i)) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.fields.get(key) {
            Some(Field::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn list(&self, key: &str) -> Vec<String> {
        match self.fields.get(key) {
            Some(Field::List(items)) => items.clone(),
            _ => Vec::new(),
        }
    }

    pub fn rating(&self, key: &str) -> Option<u8> {
        self.int(key)
            .and_then(|i| u8::try_from(i).ok())
            .filter(|r| *r <= 10)
    }

    pub fn date(&self, key: &str) -> Option<NaiveDate> {
        match self.fields.get(key) {
            Some(Field::Str(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            _ => None,
        }
    }

    pub fn time(&self, key: &str) -> Option<NaiveTime> {
        match self.fields.get(key) {
            Some(Field::Str(s)) => parse_time(s),
            _ => None,
        }
    }

    pub fn instant(&self, key: &str) -> Option<DateTime<Utc>> {
        match self.fields.get(key) {
            Some(Field::Str(s)) => DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.with_timezone(&Utc)),
            _ => None,
        }
    }

    /// Each entry of the map at `key` whose value is a map, with its key.
    pub fn entries(&self, key: &str) -> Vec<(String, MapReader<'a, D>)> {
        let Some((_, map)) = self.maps.iter().find(|(k, _)| k == key) else {
            return Vec::new();
        };
        self.doc
            .map_range(map, ..)
            .filter_map(|item| match item.value {
                ValueRef::Object(ObjType::Map) => {
                    Some((item.key.to_string(), MapReader::new(self.doc, item.id())))
                }
                _ => None,
            })
            .collect()
    }
}

/// Parses "HH:MM".
pub(crate) fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}
