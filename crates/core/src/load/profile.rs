//! What each column of a file holds, for `inspect`: how many cells are filled and distinct,
//! the narrowest kind every filled cell fits, and an example.

use std::collections::HashSet;

use crate::dates::{DateParser, parse_time_of_day};
use crate::model::is_null_spelling;

use super::points::{parse_location_text, parse_wkb_hex, parse_wkt_point};
use super::table::{Column, RawTable};

/// One column's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnProfile {
    /// The column's name.
    pub name: String,
    /// The narrowest kind every filled cell fits: `integer`, `decimal`, `true/false`, `date`,
    /// `date-time`, `time of day`, `WKT point`, `(lat, lon) text`, `WKB`, `text`, or `empty`.
    pub kind: &'static str,
    /// Cells that are neither empty nor a null spelling.
    pub filled: usize,
    /// Distinct filled values.
    pub distinct: usize,
    /// Filled cells that are numbers (telling a mostly-numeric text column, like ages with
    /// "20s" among them, from real text).
    pub numbers: usize,
    /// The first filled cell.
    pub example: Option<String>,
    /// For text columns that are mostly numbers: the first filled cell that is not one.
    pub first_non_number: Option<String>,
}

/// Profiles every column of `table`.
pub(crate) fn profile_columns(table: &RawTable) -> Vec<ColumnProfile> {
    (0..table.columns.len())
        .map(|column| profile(table, column))
        .collect()
}

/// Tells whether one text cell could be of a kind.
type TextCheck<'a> = dyn Fn(&str) -> bool + 'a;

fn profile(table: &RawTable, column: usize) -> ColumnProfile {
    let cells = &table.cells[column];
    let dates = DateParser::default();
    let mut distinct = HashSet::new();
    let mut filled = 0;
    let mut numbers = 0;
    let mut example = None;
    let mut first_non_number = None;
    // Kinds still possible, most specific first.
    let checks: [(&'static str, &TextCheck); 10] = [
        ("integer", &|t| t.parse::<i64>().is_ok()),
        ("decimal", &|t| t.parse::<f64>().is_ok()),
        ("true/false", &|t| {
            t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false")
        }),
        ("date", &|t| {
            dates.parse(t).is_ok_and(|d| d.is_some_and(|d| !d.has_time))
        }),
        ("date-time", &|t| dates.parse(t).is_ok_and(|d| d.is_some())),
        ("time of day", &|t| parse_time_of_day(t).is_ok()),
        ("WKT point", &|t| parse_wkt_point(t).is_some()),
        ("(lat, lon) text", &|t| parse_location_text(t).is_some()),
        ("WKB", &|t| parse_wkb_hex(t).is_some()),
        ("text", &|_| true),
    ];
    let mut possible = [true; 10];
    for row in 0..table.n_rows {
        let Some(text) = cells.text(row) else {
            continue;
        };
        if is_null_spelling(&text) {
            continue;
        }
        filled += 1;
        let trimmed = text.trim();
        if trimmed.parse::<f64>().is_ok() {
            numbers += 1;
        } else if first_non_number.is_none() {
            first_non_number = Some(text.to_string());
        }
        example.get_or_insert_with(|| text.to_string());
        for (i, (_, check)) in checks.iter().enumerate() {
            if possible[i] && !check(trimmed) {
                possible[i] = false;
            }
        }
        distinct.insert(text.into_owned());
    }
    let kind = match cells {
        _ if filled == 0 => "empty",
        Column::Float(_) => "decimal",
        Column::Int(_) => "integer",
        Column::Bool(_) => "true/false",
        Column::Binary(_) => "WKB",
        Column::Text(_) | Column::Json(_) => checks
            .iter()
            .zip(possible)
            .find(|(_, possible)| *possible)
            .map_or("text", |((kind, _), _)| kind),
    };
    if kind != "text" {
        first_non_number = None;
    }
    ColumnProfile {
        name: table.columns[column].clone(),
        kind,
        filled,
        distinct: distinct.len(),
        numbers,
        example,
        first_non_number,
    }
}
