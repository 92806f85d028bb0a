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

    /// The 0-based row's date and time, or `None`, and what reading it noticed (to be noted,
    /// in row order, by [`note`](Self::note)). The row keeps what could be read.
    pub fn timestamp(
        &self,
        parser: &DateParser,
        table: &RawTable,
        row: usize,
    ) -> (Option<Timestamp>, DateNote) {
        let Some(text) = self.date.and_then(|column| table.text(column, row)) else {
            return (None, DateNote::None);
        };
        let zoned = match parser.parse_zoned(&text) {
            Ok(Some(zoned)) => zoned,
            Ok(None) => return (None, DateNote::None),
            Err(_) => return (None, DateNote::UnreadableDate),
        };
        let (mut timestamp, mut note) = match (zoned.offset, &self.timezone) {
            (None, _) => (zoned.timestamp, DateNote::None),
            (Some(_), Some(zone)) => (zoned.in_zone(zone), DateNote::Zoned),
            (Some(_), None) => (zoned.timestamp, DateNote::Zoned),
        };
        // A date written with an offset always has a time, so at most one note arises.
        if let Some(time_column) = self.time.filter(|_| !timestamp.has_time) {
            match table
                .text(time_column, row)
                .as_deref()
                .map(parse_time_of_day)
            {
                Some(Ok(Some(time))) => {
                    timestamp = Timestamp {
                        datetime: timestamp.datetime.date().and_time(time),
                        has_time: true,
                    };
                }
                Some(Err(_)) => note = DateNote::UnreadableTime,
                Some(Ok(None)) | None => {}
            }
        }
        (Some(timestamp), note)
    }

    /// Counts what [`timestamp`](Self::timestamp) noticed in the 0-based row in `notes`.
    pub fn note(&self, table: &RawTable, row: usize, note: DateNote, notes: &mut RowNotes) {
        let (sample, column) = match note {
            DateNote::None => return,
            DateNote::UnreadableDate => (&mut notes.unreadable_dates, self.date),
            DateNote::Zoned => (&mut notes.zoned_times, self.date),
            DateNote::UnreadableTime => (&mut notes.unreadable_dates, self.time),
        };
        // A note is only ever about a column the reader has.
        let Some(column) = column else { return };
        let place = table.place(row);
        sample.record(place.number, || {
            let name = &table.columns[column];
            let text = table.text(column, row).unwrap_or_default();
            match (note, &self.timezone) {
                (DateNote::UnreadableDate, _) => {
                    format!("{place}: column {name:?}: not a date: {:?}", shorten(&text))
                }
                (DateNote::Zoned, Some(zone)) => format!(
                    "{place}: column {name:?}: {text:?} has a UTC offset; converted to {zone}"
                ),
                (DateNote::Zoned, None) => format!(
                    "{place}: column {name:?}: {text:?} has a UTC offset; the wall-clock time written is kept (--timezone converts it)"
                ),
                (DateNote::UnreadableTime | DateNote::None, _) => format!(
                    "{place}: column {name:?}: not a time: {:?}; the date alone is kept",
                    shorten(&text)
                ),
            }
        });
    }
}

/// What reading one row's date noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateNote {
    /// Nothing worth a note.
    None,
    /// The date cell could not be read; the row has no date.
    UnreadableDate,
    /// The date was written with a UTC offset.
    Zoned,
    /// The time-of-day cell could not be read; the date alone is kept.
    UnreadableTime,
}
