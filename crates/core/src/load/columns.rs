//! Finding the columns that play each role, by name or by the usual spellings.

use crate::error::{ColumnHint, Error, Result};

use super::table::RawTable;

const LATITUDE_NAMES: [&str; 2] = ["lat", "latitude"];
const LONGITUDE_NAMES: [&str; 4] = ["lon", "lng", "long", "longitude"];
const NAME_NAMES: [&str; 11] = [
    "name",
    "school_name",
    "schoolname",
    "school",
    "school_nm",
    "sch_name",
    "short_name",
    "long_name",
    "location_name",
    "facility_name",
    "loc_name",
];
const DATE_NAMES: [&str; 12] = [
    "date",
    "datetime",
    "date_time",
    "timestamp",
    "occurred",
    "occurred_at",
    "occurred_on",
    "occur_date",
    "incident_date",
    "date_of_occurrence",
    "event_date",
    "crime_date",
];

fn normalized(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

fn position_of_any(table: &RawTable, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|wanted| {
        table
            .columns
            .iter()
            .position(|column| normalized(column) == *wanted)
    })
}

/// The column named `name`: exactly, or else the one column equal to it ignoring case and
/// surrounding spaces. Otherwise an error that suggests the closest names.
pub(crate) fn find_named(table: &RawTable, name: &str) -> Result<usize> {
    if let Some(position) = table.columns.iter().position(|column| column == name) {
        return Ok(position);
    }
    let loose: Vec<usize> = (0..table.columns.len())
        .filter(|&i| normalized(&table.columns[i]) == normalized(name))
        .collect();
    if let [position] = loose[..] {
        return Ok(position);
    }
    Err(Error::NoSuchColumn {
        path: table.source.path.clone(),
        column: name.to_string(),
        hint: ColumnHint {
            suggestions: suggestions(&table.columns, name),
            columns: table.columns.clone(),
        },
    })
}

/// The column named by the user, if any, or else the detected one.
pub(crate) fn named_or_detected(
    table: &RawTable,
    name: Option<&str>,
    detect: fn(&RawTable) -> Option<usize>,
) -> Result<Option<usize>> {
    match name {
        Some(name) => find_named(table, name).map(Some),
        None => Ok(detect(table)),
    }
}

/// Up to three real column names close to `wanted`, best first.
pub(crate) fn suggestions(columns: &[String], wanted: &str) -> Vec<String> {
    let wanted = normalized(wanted);
    let mut scored: Vec<(usize, &String)> = columns
        .iter()
        .filter_map(|column| {
            let candidate = normalized(column);
            let distance = strsim::levenshtein(&candidate, &wanted);
            let close = distance <= (wanted.chars().count() / 4).max(2)
                || (wanted.len() >= 3 && candidate.contains(&wanted))
                || (candidate.len() >= 3 && wanted.contains(&candidate));
            close.then_some((distance, column))
        })
        .collect();
    scored.sort_by_key(|(distance, _)| *distance);
    scored
        .into_iter()
        .take(3)
        .map(|(_, column)| column.clone())
        .collect()
}

/// The (latitude, longitude) columns: `lat`/`latitude` with `lon`/`lng`/`long`/`longitude`
/// in any case, or else `Y` with `X`.
pub(crate) fn detect_coordinates(table: &RawTable) -> Option<(usize, usize)> {
    let named =
        position_of_any(table, &LATITUDE_NAMES).zip(position_of_any(table, &LONGITUDE_NAMES));
    named.or_else(|| position_of_any(table, &["y"]).zip(position_of_any(table, &["x"])))
}

/// The id column: `id` in any case, or else the only column whose name ends in `_id` (any
/// case) or in `ID`.
pub(crate) fn detect_id(table: &RawTable) -> Option<usize> {
    if let Some(position) = position_of_any(table, &["id"]) {
        return Some(position);
    }
    let candidates: Vec<usize> = (0..table.columns.len())
        .filter(|&i| {
            let name = table.columns[i].trim();
            name.len() > 2 && (normalized(name).ends_with("_id") || name.ends_with("ID"))
        })
        .collect();
    match candidates[..] {
        [only] => Some(only),
        _ => None,
    }
}

/// The school name column: a usual name such as `name`, `school_name` or `short_name`, or
/// else the first column whose name contains `name`.
pub(crate) fn detect_name(table: &RawTable) -> Option<usize> {
    position_of_any(table, &NAME_NAMES).or_else(|| {
        table
            .columns
            .iter()
            .position(|column| normalized(column).contains("name"))
    })
}

/// The incident date column: a usual name such as `date` or `occurred_at`, or else the first
/// column whose name contains `date` (but not `update`).
pub(crate) fn detect_date(table: &RawTable) -> Option<usize> {
    position_of_any(table, &DATE_NAMES).or_else(|| {
        table.columns.iter().position(|column| {
            let name = normalized(column);
            name.contains("date") && !name.contains("update")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let columns: Vec<String> = ["School_ID", "Latitude", "Longitude", "Address"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            suggestions(&columns, "lattitude"),
            vec!["Latitude".to_string()]
        );
        assert_eq!(
            suggestions(&columns, "longitud"),
            vec!["Longitude".to_string()]
        );
        assert_eq!(suggestions(&columns, "id"), Vec::<String>::new());
        assert_eq!(
            suggestions(&columns, "school"),
            vec!["School_ID".to_string()]
        );
        assert!(suggestions(&columns, "zzz").is_empty());
    }
}
