//! Reading each row's date: a date or date-time column, combined with a separate time-of-day
//! column when the dates have no time (Tribune `DATE` + `TIME`, NYPD `OCCUR_DATE` +
//! `OCCUR_TIME`), with UTC offsets converted to `--timezone` or kept as written.

use chrono_tz::Tz;

use crate::dates::{DateParser, Timestamp, parse_time_of_day};
use crate::error::Result;
use crate::model::{ColumnRoles, RowNotes, shorten};

use super::columns::{detect_date, detect_time, find_named, named_or_detected};
use super::options::LoadOptions;
use super::table::RawTable;

/// The date (and time) columns of a table, resolved once.
pub(crate) struct TimeReader {
    date: Option<usize>,
    time: Option<usize>,
    parser: DateParser,
    timezone: Option<Tz>,
}

impl TimeReader {
    /// Finds the date column (named or detected) and its time-of-day partner, filling in
    /// `roles`.
    pub fn new(
        table: &RawTable,
        options: &LoadOptions,
        roles: &mut ColumnRoles,
    ) -> Result<TimeReader> {
        let date = named_or_detected(table, options.date_column.as_deref(), detect_date)?;
        let time = match (&options.time_column, date) {
            (Some(name), _) => Some(find_named(table, name)?),
            (None, Some(date)) if !options.no_time_column => detect_time(table, date),
            _ => None,
        };
        roles.date = date.map(|column| table.columns[column].clone());
        roles.time = time.map(|column| table.columns[column].clone());
        Ok(TimeReader {
            date,
            time,
            parser: DateParser::default(),
            timezone: options.timezone,
        })
    }

    /// Whether the table has a date column.
    pub fn has_dates(&self) -> bool {
        self.date.is_some()
    }

    /// Whether a separate time-of-day column is combined with the dates.
    pub fn has_time_column(&self) -> bool {
        self.time.is_some()
    }

    /// The 0-based row's date and time, or `None`; cells that cannot be read are counted in
    /// `notes` and the row keeps what could be read.
    pub fn timestamp(
        &self,
        table: &RawTable,
        row: usize,
        notes: &mut RowNotes,
    ) -> Option<Timestamp> {
        let date_column = self.date?;
        let text = table.text(date_column, row)?;
        let place = table.place(row);
        let column_name = &table.columns[date_column];
        let zoned = match self.parser.parse_zoned(&text) {
            Ok(zoned) => zoned?,
            Err(_) => {
                notes.unreadable_dates.record(place.number, || {
                    format!(
                        "{place}: column {column_name:?}: not a date: {:?}",
                        shorten(&text)
                    )
                });
                return None;
            }
        };
        let mut timestamp = match (zoned.offset, &self.timezone) {
            (None, _) => zoned.timestamp,
            (Some(_), Some(zone)) => {
                notes.zoned_times.record(place.number, || {
                    format!("{place}: column {column_name:?}: {text:?} has a UTC offset; converted to {zone}")
                });
                zoned.in_zone(zone)
            }
            (Some(_), None) => {
                notes.zoned_times.record(place.number, || {
                    format!(
                        "{place}: column {column_name:?}: {text:?} has a UTC offset; the wall-clock time written is kept (--timezone converts it)"
                    )
                });
                zoned.timestamp
            }
        };
        if let Some(time_column) = self.time.filter(|_| !timestamp.has_time) {
            let time_text = table.text(time_column, row);
            match time_text.as_deref().map(parse_time_of_day) {
                Some(Ok(Some(time))) => {
                    timestamp = Timestamp {
                        datetime: timestamp.datetime.date().and_time(time),
                        has_time: true,
                    };
                }
                Some(Err(_)) => {
                    let name = &table.columns[time_column];
                    let time_text = time_text.unwrap_or_default();
                    notes.unreadable_dates.record(place.number, || {
                        format!(
                            "{place}: column {name:?}: not a time: {:?}; the date alone is kept",
                            shorten(&time_text)
                        )
                    });
                }
                Some(Ok(None)) | None => {}
            }
        }
        Some(timestamp)
    }
}
