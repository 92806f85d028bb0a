//! Dates and date-times as found in open-data exports, and date ranges for filtering.

use std::cell::Cell;
use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

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

/// A date-time written with a UTC offset (`Z`, `+01:00`): the wall-clock time as written,
/// and the offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zoned {
    /// The wall-clock date and time as written.
    pub timestamp: Timestamp,
    /// The offset written after it, if any.
    pub offset: Option<FixedOffset>,
}

impl Zoned {
    /// The wall-clock time in `zone`: converted when an offset was written, as written
    /// otherwise (a time without an offset is taken to be local already).
    pub fn in_zone(&self, zone: &chrono_tz::Tz) -> Timestamp {
        match self.offset {
            Some(offset) => {
                let instant = self.timestamp.datetime - offset;
                Timestamp {
                    datetime: instant.and_utc().with_timezone(zone).naive_local(),
                    has_time: true,
                }
            }
            None => self.timestamp,
        }
    }
}

/// The formats that are understood, as text for messages.
pub const ACCEPTED_DATE_FORMATS: &str = "YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm], \
     YYYY-MM-DD hh:mm[:ss], YYYY/MM/DD [hh:mm[:ss]], MM/DD/YYYY [hh:mm[:ss] [AM|PM]]";

const TIME_FORMATS: [&str; 6] = [
    "%H:%M:%S%.f",
    "%H:%M",
    "%I:%M:%S %p",
    "%I:%M %p",
    "%I:%M:%S%p",
    "%I:%M%p",
];

const ZONED_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
];

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
    /// A UTC offset is accepted and the wall-clock time as written is kept.
    pub fn parse(&self, text: &str) -> Result<Option<Timestamp>> {
        Ok(self.parse_zoned(text)?.map(|zoned| zoned.timestamp))
    }

    /// Like [`DateParser::parse`], also giving the UTC offset when one is written.
    pub fn parse_zoned(&self, text: &str) -> Result<Option<Zoned>> {
        let text = text.trim();
        if is_null_spelling(text) {
            return Ok(None);
        }
        if let Some(timestamp) = iso_fast_path(text) {
            return Ok(Some(Zoned {
                timestamp,
                offset: None,
            }));
        }
        if let Some(zoned) = self.parse_datetime(text) {
            return Ok(Some(zoned));
        }
        for format in DATE_FORMATS {
            if let Some(date) = NaiveDate::parse_from_str(text, format)
                .ok()
                .filter(|d| has_full_year(d.year()))
            {
                return Ok(Some(Zoned {
                    timestamp: Timestamp {
                        datetime: date.and_time(NaiveTime::MIN),
                        has_time: false,
                    },
                    offset: None,
                }));
            }
        }
        Err(Error::Date {
            input: text.to_string(),
            message: format!("expected one of {ACCEPTED_DATE_FORMATS}"),
        })
    }

    fn parse_datetime(&self, text: &str) -> Option<Zoned> {
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
                return Some(Zoned {
                    timestamp: Timestamp {
                        datetime,
                        has_time: true,
                    },
                    offset: None,
                });
            }
        }
        let zoned = DateTime::parse_from_rfc3339(text).ok().or_else(|| {
            ZONED_FORMATS
                .iter()
                .find_map(|format| DateTime::parse_from_str(text, format).ok())
        })?;
        has_full_year(zoned.year()).then(|| Zoned {
            timestamp: Timestamp {
                datetime: zoned.naive_local(),
                has_time: true,
            },
            offset: Some(*zoned.offset()),
        })
    }
}

/// Parses a time of day such as `14:05`, `2:05:09`, `02:05 PM`; `Ok(None)` for an empty cell
/// or a null spelling.
pub fn parse_time_of_day(text: &str) -> Result<Option<NaiveTime>> {
    let text = text.trim();
    if is_null_spelling(text) {
        return Ok(None);
    }
    TIME_FORMATS
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
        .map(Some)
        .ok_or_else(|| Error::Date {
            input: text.to_string(),
            message: "expected a time of day: hh:mm[:ss] [AM|PM]".to_string(),
        })
}

/// Two-digit years (`01/05/17`) are ambiguous; a year must be written with four digits.
fn has_full_year(year: i32) -> bool {
    (1000..=9999).contains(&year)
}

/// Parses an IANA time zone name such as `America/Chicago`.
pub fn parse_timezone(name: &str) -> Result<chrono_tz::Tz> {
    name.trim().parse().map_err(|_| {
        Error::Invalid(format!(
            "unknown time zone {name:?}: expected an IANA name such as America/Chicago, America/New_York or UTC"
        ))
    })
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

/// The commonest spellings, `YYYY-MM-DD` and `YYYY-MM-DD hh:mm:ss` (or with a `T`), read
/// without the general format machinery: the same answer as the formats above, or `None` to
/// let them decide (anything else, and anything out of range, such as a leap second).
fn iso_fast_path(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |value, &byte| {
            byte.is_ascii_digit()
                .then(|| value * 10 + u32::from(byte - b'0'))
        })
    };
    if !(bytes.len() == 10 || bytes.len() == 19) || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i32::try_from(number(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)?;
    if !has_full_year(year) {
        return None;
    }
    if bytes.len() == 10 {
        return Some(Timestamp {
            datetime: date.and_time(NaiveTime::MIN),
            has_time: false,
        });
    }
    if !matches!(bytes[10], b' ' | b'T') || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let time = NaiveTime::from_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)?;
    Some(Timestamp {
        datetime: date.and_time(time),
        has_time: true,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The ISO fast path agrees with the general formats whenever it answers.
        #[test]
        fn iso_fast_path_agrees_with_the_formats(
            year in 0u32..10_000, month in 0u32..14, day in 0u32..33,
            hour in 0u32..26, minute in 0u32..62, second in 0u32..62,
            separator in prop::sample::select(vec![' ', 'T', '_']),
            with_time in any::<bool>(),
        ) {
            let text = if with_time {
                format!("{year:04}-{month:02}-{day:02}{separator}{hour:02}:{minute:02}:{second:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02}")
            };
            if let Some(fast) = iso_fast_path(&text) {
                let general = if with_time {
                    NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f")
                        .or_else(|_| NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S%.f"))
                        .unwrap()
                } else {
                    NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap().and_time(NaiveTime::MIN)
                };
                prop_assert_eq!(fast.datetime, general);
                prop_assert_eq!(fast.has_time, with_time);
            } else if (1..=12).contains(&month) && (1..=28).contains(&day) && hour < 24
                && minute < 60 && second < 60 && separator != '_' && has_full_year(year as i32)
            {
                prop_assert!(false, "{text} should take the fast path");
            }
        }
    }

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
    fn zones_are_kept_or_converted() {
        let parser = DateParser::default();
        let chicago: chrono_tz::Tz = "America/Chicago".parse().unwrap();
        for (input, written, offset_s, in_chicago) in [
            (
                "2017-01-05T20:30:00Z",
                "2017-01-05T20:30:00",
                Some(0),
                "2017-01-05T14:30:00",
            ),
            (
                "2017-07-05T20:30:00+00:00",
                "2017-07-05T20:30:00",
                Some(0),
                "2017-07-05T15:30:00",
            ),
            (
                "2017-01-05 14:30:00-0600",
                "2017-01-05T14:30:00",
                Some(-21600),
                "2017-01-05T14:30:00",
            ),
            (
                "2017-01-05 14:30:00",
                "2017-01-05T14:30:00",
                None,
                "2017-01-05T14:30:00",
            ),
        ] {
            let zoned = parser.parse_zoned(input).unwrap().unwrap();
            assert_eq!(zoned.timestamp.to_string(), written, "{input}");
            assert_eq!(
                zoned.offset.map(|o| o.local_minus_utc()),
                offset_s,
                "{input}"
            );
            assert_eq!(zoned.in_zone(&chicago).to_string(), in_chicago, "{input}");
        }
    }

    #[test]
    fn times_of_day() {
        let at = |s: &str| parse_time_of_day(s).unwrap().map(|t| t.to_string());
        assert_eq!(at("14:05"), Some("14:05:00".into()));
        assert_eq!(at("3:57:00"), Some("03:57:00".into()));
        assert_eq!(at(" 2:05 PM "), Some("14:05:00".into()));
        assert_eq!(at("12:10am"), Some("00:10:00".into()));
        assert_eq!(at(""), None);
        assert_eq!(at("None"), None);
        assert!(parse_time_of_day("25:00").is_err());
        assert!(parse_time_of_day("noon").is_err());
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
