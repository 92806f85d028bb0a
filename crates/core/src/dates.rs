//! Dates and date-times as found in open-data exports, and date ranges for filtering.

use std::cell::Cell;
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use crate::error::{Error, Result};
use crate::model::is_null_spelling;

/// A local, naive point in time, and whether the source gave a time of day at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// The wall-clock date and time as written (midnight when only a date was given).
    pub datetime: NaiveDateTime,
    /// Whether a time of day was given.
    pub has_time: bool,
}

impl Timestamp {
    /// The calendar year.
    pub fn year(&self) -> i32 {
        self.datetime.year()
    }
}

impl fmt::Display for Timestamp {
    /// ISO 8601: `2017-03-04` for a date, `2017-03-04T14:05:00` for a date-time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.has_time {
            write!(f, "{}", self.datetime.format("%Y-%m-%dT%H:%M:%S%.f"))
        } else {
            write!(f, "{}", self.datetime.format("%Y-%m-%d"))
        }
    }
}

/// The formats that are understood, as text for messages.
pub const ACCEPTED_DATE_FORMATS: &str = "YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm], \
     YYYY-MM-DD hh:mm[:ss], YYYY/MM/DD [hh:mm[:ss]], MM/DD/YYYY [hh:mm[:ss] [AM|PM]]";

const DATE_FORMATS: [&str; 3] = ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d"];

const DATETIME_FORMATS: [&str; 14] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S%p",
    "%m/%d/%Y %I:%M%p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %I:%M %p",
];

/// Parses dates and date-times in the formats of [`ACCEPTED_DATE_FORMATS`], remembering the
/// last format that matched so that a column in one format is parsed with one attempt a row.
///
/// ```
/// use proximity::DateParser;
/// let parser = DateParser::default();
/// let t = parser.parse("03/14/2017 02:30:00 PM").unwrap().unwrap();
/// assert_eq!(t.to_string(), "2017-03-14T14:30:00");
/// assert_eq!(parser.parse("None").unwrap(), None);
/// assert!(parser.parse("14/03/2017").is_err());
/// ```
#[derive(Debug, Default)]
pub struct DateParser {
    last_datetime_format: Cell<usize>,
}

impl DateParser {
    /// `Ok(None)` for an empty cell or a null spelling (`None`, `NA`, `N/A`, `null`, `NaN`),
    /// `Ok(Some(_))` for a date or date-time, and `Err` with what was accepted otherwise.
    pub fn parse(&self, text: &str) -> Result<Option<Timestamp>> {
        let text = text.trim();
        if is_null_spelling(text) {
            return Ok(None);
        }
        if let Some(timestamp) = self.parse_datetime(text) {
            return Ok(Some(timestamp));
        }
        for format in DATE_FORMATS {
            if let Some(date) = NaiveDate::parse_from_str(text, format)
                .ok()
                .filter(|d| has_full_year(d.year()))
            {
                return Ok(Some(Timestamp {
                    datetime: date.and_time(NaiveTime::MIN),
                    has_time: false,
                }));
            }
        }
        Err(Error::Date {
            input: text.to_string(),
            message: format!("expected one of {ACCEPTED_DATE_FORMATS}"),
        })
    }

    fn parse_datetime(&self, text: &str) -> Option<Timestamp> {
        // Only strings with a time part are worth the date-time formats.
        if !text.contains(':') {
            return None;
        }
        let first = self.last_datetime_format.get();
        let order =
            std::iter::once(first).chain((0..DATETIME_FORMATS.len()).filter(|&i| i != first));
        for i in order {
            let parsed = NaiveDateTime::parse_from_str(text, DATETIME_FORMATS[i]);
            if let Some(datetime) = parsed.ok().filter(|d| has_full_year(d.year())) {
                self.last_datetime_format.set(i);
                return Some(Timestamp {
                    datetime,
                    has_time: true,
                });
            }
        }
        // An ISO date-time with a zone: the wall-clock time as written is kept.
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|datetime| Timestamp {
                datetime: datetime.naive_local(),
                has_time: true,
            })
    }
}

/// Two-digit years (`01/05/17`) are ambiguous; a year must be written with four digits.
fn has_full_year(year: i32) -> bool {
    (1000..=9999).contains(&year)
}

/// Parses one date or date-time given as an option, such as `--from 2017-01-01`.
pub fn parse_date_option(text: &str) -> Result<Timestamp> {
    match DateParser::default().parse(text)? {
        Some(timestamp) => Ok(timestamp),
        None => Err(Error::Date {
            input: text.to_string(),
            message: format!("expected one of {ACCEPTED_DATE_FORMATS}"),
        }),
    }
}

/// A half-open range of time: `from` inclusive, `to` exclusive. Either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    /// The first instant included (`--from`), if any.
    pub from: Option<Timestamp>,
    /// The first instant excluded (`--to`), if any.
    pub to: Option<Timestamp>,
}

impl DateRange {
    /// Whether either end is set.
    pub fn is_active(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether `timestamp` falls in the range: `from <= t < to`.
    pub fn contains(&self, timestamp: &Timestamp) -> bool {
        self.from
            .is_none_or(|from| timestamp.datetime >= from.datetime)
            && self.to.is_none_or(|to| timestamp.datetime < to.datetime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let parsed = DateParser::default().parse(input).unwrap().unwrap();
        assert_eq!(parsed.to_string(), expected, "{input}");
    }

    #[test]
    fn accepted_formats() {
        check("2017-01-05", "2017-01-05");
        check(" 2017-01-05 ", "2017-01-05");
        check("2017-01-05T14:30:00", "2017-01-05T14:30:00");
        check("2017-01-05T14:30", "2017-01-05T14:30:00");
        check("2017-01-05 14:30:59", "2017-01-05T14:30:59");
        check("2017-01-05 14:30:59.250", "2017-01-05T14:30:59.250");
        check("2017-01-05T14:30:00Z", "2017-01-05T14:30:00");
        check("2017-01-05T14:30:00-06:00", "2017-01-05T14:30:00");
        check("01/05/2017", "2017-01-05");
        check("1/5/2017", "2017-01-05");
        check("01/05/2017 02:30:00 PM", "2017-01-05T14:30:00");
        check("01/05/2017 12:10:00 AM", "2017-01-05T00:10:00");
        check("01/05/2017 12:10 pm", "2017-01-05T12:10:00");
        check("01/05/2017 2:30PM", "2017-01-05T14:30:00");
        check("01/05/2017 14:30", "2017-01-05T14:30:00");
        check("01/05/2017 14:30:05", "2017-01-05T14:30:05");
        check("2017/01/05", "2017-01-05");
        check("2017/01/05 08:15", "2017-01-05T08:15:00");
    }

    #[test]
    fn nulls_and_garbage() {
        let parser = DateParser::default();
        for null in ["", "  ", "None", "NA", "n/a", "null", "NaN"] {
            assert_eq!(parser.parse(null).unwrap(), None, "{null:?}");
        }
        for bad in [
            "2017-02-30",
            "13/01/2017",
            "yesterday",
            "2017",
            "01/05/17",
            "25:00",
            "2017-01-05 25:00",
        ] {
            let message = parser.parse(bad).unwrap_err().to_string();
            assert!(message.contains("expected one of"), "{bad}: {message}");
        }
    }

    #[test]
    fn a_mixed_column_parses_every_format() {
        // The parser remembers the last format; a change of format must still parse.
        let parser = DateParser::default();
        let inputs = [
            "01/05/2017 02:30:00 PM",
            "2017-01-05 14:30:00",
            "01/05/2017 02:30:00 PM",
        ];
        for input in inputs {
            assert_eq!(
                parser.parse(input).unwrap().unwrap().to_string(),
                "2017-01-05T14:30:00"
            );
        }
    }

    #[test]
    fn ranges_are_half_open() {
        let range = DateRange {
            from: Some(parse_date_option("2017-01-01").unwrap()),
            to: Some(parse_date_option("2018-01-01").unwrap()),
        };
        let parser = DateParser::default();
        let at = |s: &str| parser.parse(s).unwrap().unwrap();
        assert!(range.contains(&at("2017-01-01")));
        assert!(range.contains(&at("2017-12-31 23:59:59")));
        assert!(!range.contains(&at("2018-01-01")));
        assert!(!range.contains(&at("2016-12-31 23:59")));
        assert!(DateRange::default().contains(&at("1900-01-01")));
        assert!(parse_date_option("").is_err());
    }
}
