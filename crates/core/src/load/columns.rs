//! Finding the columns that play each role, by name or by the usual spellings.

use crate::error::{ColumnHint, Error, Result};

use super::table::RawTable;

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
const TIME_NAMES: [&str; 6] = [
    "time",
    "occur_time",
    "occurred_time",
    "incident_time",
    "time_of_day",
    "event_time",
];
const KEY_NAMES: [&str; 12] = [
    "incident_key",
    "incident_id",
    "incident_number",
    "incident_no",
    "incident_num",
    "case_number",
    "case_no",
    "case_num",
    "casenumber",
    "case_id",
    "event_number",
    "rd_no",
];

/// A name in lowercase with surrounding spaces removed.
pub(crate) fn normalized(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A name's lowercase alphanumeric words: `X.Coordinate` is `["x", "coordinate"]`.
pub(crate) fn tokens(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A name's words joined by `_`: `Case.Number` and `CASE NUMBER` are `case_number`.
pub(crate) fn snake(name: &str) -> String {
    tokens(name).join("_")
}

fn position_of_any(table: &RawTable, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|wanted| {
        table
            .columns
            .iter()
            .position(|column| snake(column) == *wanted)
    })
}

/// The column named `name`: exactly, or else the one column equal to it ignoring case and
/// surrounding spaces. Otherwise an error that suggests the closest names.
pub(crate) fn find_named(table: &RawTable, name: &str) -> Result<usize> {
    find_in(&table.columns, name).ok_or_else(|| Error::NoSuchColumn {
        path: table.source.path.clone(),
        column: name.to_string(),
        hint: ColumnHint {
            suggestions: suggestions(&table.columns, name),
            columns: table.columns.clone(),
        },
    })
}

/// The position of `name` in `columns`: exactly, or else the one name equal to it ignoring
/// case and surrounding spaces.
pub(crate) fn find_in(columns: &[String], name: &str) -> Option<usize> {
    if let Some(position) = columns.iter().position(|column| column == name) {
        return Some(position);
    }
    let loose: Vec<usize> = (0..columns.len())
        .filter(|&i| normalized(&columns[i]) == normalized(name))
        .collect();
    match loose[..] {
        [position] => Some(position),
        _ => None,
    }
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

/// The columns that may hold ids, most id-like first: `id`; names whose last word is `id`
/// (`School_ID`, `incident id`) or that end in `ID` (`SchoolID`); then names with the words
/// `key`, `code` or `number`/`no`. Each group is in column order.
pub(crate) fn id_candidates(table: &RawTable) -> Vec<usize> {
    let words: Vec<Vec<String>> = table.columns.iter().map(|c| tokens(c)).collect();
    let last = |i: usize| words[i].last().map(String::as_str).unwrap_or("");
    let groups: [&dyn Fn(usize) -> bool; 4] = [
        &|i| words[i] == ["id"],
        &|i| last(i) == "id" || table.columns[i].trim().ends_with("ID"),
        &|i| {
            words[i]
                .iter()
                .any(|w| w == "key" || w == "uid" || w == "uuid")
        },
        &|i| words[i].iter().any(|w| w == "code"),
    ];
    let mut candidates = Vec::new();
    for group in groups {
        for i in 0..table.columns.len() {
            if group(i) && !candidates.contains(&i) {
                candidates.push(i);
            }
        }
    }
    candidates
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

/// The date column: a usual name such as `date` or `occurred_at`, or else the first column
/// whose name contains `date` (but not `update`).
pub(crate) fn detect_date(table: &RawTable) -> Option<usize> {
    position_of_any(table, &DATE_NAMES).or_else(|| {
        table.columns.iter().position(|column| {
            let name = normalized(column);
            name.contains("date") && !name.contains("update")
        })
    })
}

/// The time-of-day column that goes with the date column `date`: its name with `date`
/// replaced by `time` (`OCCUR_DATE` and `OCCUR_TIME`), or a usual name such as `time`.
pub(crate) fn detect_time(table: &RawTable, date: usize) -> Option<usize> {
    let partner = snake(&table.columns[date]).replace("date", "time");
    table
        .columns
        .iter()
        .position(|column| snake(column) == partner)
        .filter(|&time| time != date)
        .or_else(|| position_of_any(table, &TIME_NAMES))
}

/// The incident key column: a usual name such as `INCIDENT_KEY` or `Case.Number`.
pub(crate) fn detect_key(table: &RawTable) -> Option<usize> {
    position_of_any(table, &KEY_NAMES)
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

    #[test]
    fn names_in_words() {
        assert_eq!(tokens("X.Coordinate"), vec!["x", "coordinate"]);
        assert_eq!(tokens(" Y_COORD_CD "), vec!["y", "coord", "cd"]);
        assert_eq!(snake("Case.Number"), "case_number");
        assert_eq!(snake("ATS SYSTEM CODE"), "ats_system_code");
        let columns: Vec<String> = ["a", "ID", "b"].map(String::from).to_vec();
        assert_eq!(find_in(&columns, "id"), Some(1));
        assert_eq!(find_in(&columns, "c"), None);
    }
}
