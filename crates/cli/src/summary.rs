//! The summaries printed for people: the report's on stderr, `inspect`'s on stdout.

use std::fmt::Write as _;
use std::path::Path;

use proximity::{Inspection, Report, RowLog, RowNotes, RowSample, Table};

/// Thousands separators for counts: 12,345.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// `(rows 231, 1675, ...)` for a sample.
fn rows_of(sample: &RowSample) -> String {
    let rows: Vec<String> = sample.first_rows.iter().map(usize::to_string).collect();
    let more = if sample.count > sample.first_rows.len() {
        ", ..."
    } else {
        ""
    };
    let word = if sample.first_rows.len() == 1 {
        "row"
    } else {
        "rows"
    };
    format!("({word} {}{more})", rows.join(", "))
}

/// `  {what}: {label} (rows ...); first: {example}`.
fn describe_sample(out: &mut String, what: &str, sample: &RowSample) {
    if !sample.is_empty() {
        let _ = writeln!(
            out,
            "  {what} {}; first: {}",
            rows_of(sample),
            sample.example
        );
    }
}

/// One line per skip reason.
fn describe_skips(out: &mut String, log: &RowLog) {
    for (kind, sample) in log.iter() {
        let what = format!("skipped {}: {kind}", plural(sample.count, "row", "rows"));
        describe_sample(out, &what, sample);
    }
}

/// One line per kind of note on kept rows.
fn describe_notes(out: &mut String, notes: &RowNotes) {
    let kept = |n: usize, what: &str| format!("{} {what}", plural(n, "row", "rows"));
    let kinds = [
        (&notes.unreadable_dates, "kept without a (full) date:"),
        (&notes.zoned_times, "with a UTC offset:"),
        (&notes.empty_ids, "with an empty id:"),
        (&notes.duplicate_ids, "repeat an earlier row's id:"),
        (
            &notes.duplicate_rows,
            "repeat an earlier row exactly (kept):",
        ),
        (
            &notes.empty_keys,
            "with an empty incident key, each its own incident:",
        ),
    ];
    for (sample, what) in kinds {
        describe_sample(out, &kept(sample.count, what), sample);
    }
    for (column, sample) in &notes.not_numeric {
        let what = format!(
            "--numeric {column:?}: {} not numbers, read as null:",
            plural(sample.count, "cell is", "cells are")
        );
        describe_sample(out, &what, sample);
    }
    if !notes.outliers.is_empty() {
        let rule = match notes.outlier_limit_km {
            Some(km) => format!("more than {km:.0} km from the median centre"),
            None => "outside --bbox".to_string(),
        };
        let action = if notes.outliers_dropped {
            "dropped"
        } else {
            "kept; --outliers drop drops them"
        };
        let listed: Vec<String> = notes
            .outliers
            .iter()
            .take(5)
            .map(|o| format!("row {} ({}, {})", o.row, o.point.y(), o.point.x()))
            .collect();
        let more = if notes.outliers.len() > 5 {
            ", ..."
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} {rule} ({action}): {}{more}",
            plural(notes.outliers.len(), "outlier", "outliers"),
            listed.join(", ")
        );
    }
}

/// How a table was read, and every row accounted for.
fn describe_table<T>(out: &mut String, what: &str, table: &Table<T>, used: usize) {
    let source = &table.source;
    let _ = writeln!(
        out,
        "{} loaded from {} ({} read, {} skipped)",
        plural(table.loaded(), what, &format!("{what}s")),
        source.path,
        plural(source.rows, "row", "rows"),
        count(table.skipped.total()),
    );
    let roles = &table.roles;
    let swapped = if roles.axes_swapped { ", swapped" } else { "" };
    let _ = writeln!(out, "  points from {}{swapped}", roles.points);
    for alternative in &table.alternatives {
        let note = alternative
            .note
            .as_deref()
            .map_or(String::new(), |note| format!(": {note}"));
        let _ = writeln!(
            out,
            "  also offers {}: {} valid, {} disagreeing, {} only there{note}",
            alternative.source,
            count(alternative.valid_rows),
            count(alternative.disagreeing_rows),
            count(alternative.rows_only_here),
        );
    }
    if let Some(note) = &roles.id_note {
        let _ = writeln!(out, "  ids: {note}");
    }
    describe_skips(out, &table.skipped);
    describe_notes(out, &table.notes);
    if let Some(filter) = &table.filter {
        let _ = writeln!(
            out,
            "  where {:?}: {} used, {} excluded ({} because it was null for them)",
            filter.expression,
            count(used),
            count(filter.excluded),
            count(filter.null),
        );
    }
}

/// The summary of a finished report, ending with where it was written.
pub fn describe_report(report: &Report, output: Option<&Path>) -> String {
    let mut out = String::new();
    describe_table(
        &mut out,
        "school",
        &report.schools,
        report.schools.records.len(),
    );
    let incidents = &report.incidents;
    let used = incidents.records.len();
    describe_table(
        &mut out,
        "incident",
        incidents,
        used + report.date_filtered.total(),
    );
    let stats = &report.statistics;
    if let Some(key) = &incidents.roles.key {
        let _ = writeln!(
            out,
            "  rows are victims grouped into incidents by {key}: {} rows, {}",
            count(used),
            plural(stats.incidents_total, "incident", "incidents")
        );
    }
    let radius = &report.config.radius;
    let _ = writeln!(
        out,
        "radius: {radius} = {} m, WGS84 geodesic distance",
        radius.metres()
    );
    let dates = &report.config.dates;
    if dates.is_active() {
        let from = dates
            .from
            .map_or("the start".to_string(), |t| format!("{t} (inclusive)"));
        let to = dates
            .to
            .map_or("the end".to_string(), |t| format!("{t} (exclusive)"));
        let filtered = &report.date_filtered;
        let _ = writeln!(
            out,
            "dates: from {from} to {to}: {} used, {} outside, {} without a date",
            count(used),
            count(filtered.outside_range),
            count(filtered.without_date)
        );
    } else {
        let _ = writeln!(
            out,
            "dates: no filter, {} used",
            plural(used, "incident row", "incident rows")
        );
    }
    let victims = if report.has_incident_key() {
        format!(
            " ({})",
            plural(stats.distinct_victims_within, "victim", "victims")
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{}{victims} within {radius} of at least one school (each counted once)",
        plural(
            stats.distinct_incidents_within,
            "distinct incident",
            "distinct incidents"
        ),
    );
    let _ = writeln!(
        out,
        "{} of {} {} at least one incident within {radius}",
        count(stats.schools_with_incidents),
        count(report.schools.records.len()),
        if report.schools.records.len() == 1 {
            "school has"
        } else {
            "schools have"
        },
    );
    for warning in &report.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    if let Some(path) = output {
        let _ = writeln!(out, "report written to {}", path.display());
    }
    out
}

/// What `inspect` found, for people.
pub fn describe_inspection(inspection: &Inspection) -> String {
    let mut out = String::new();
    let table = &inspection.table;
    let source = &table.source;
    let _ = writeln!(out, "file: {}", source.path);
    let _ = write!(out, "format: {}", source.format);
    if let Some(dialect) = &source.dialect {
        let delimiter = match dialect.delimiter {
            '\t' => "tab".to_string(),
            other => format!("{other:?}"),
        };
        let _ = write!(
            out,
            ", delimiter {delimiter}, {} line endings{}{}",
            dialect.line_endings,
            if dialect.bom { ", byte-order mark" } else { "" },
            if dialect.invalid_utf8_sequences > 0 {
                format!(
                    ", {} invalid UTF-8 sequences replaced by U+FFFD",
                    count(dialect.invalid_utf8_sequences)
                )
            } else {
                String::new()
            }
        );
        for (from, to) in &dialect.renamed_columns {
            let _ = write!(out, "\n  column {from:?} read as {to:?}");
        }
    }
    let _ = writeln!(out, "\nsha256: {}", source.sha256);
    let _ = writeln!(out, "columns ({}):", inspection.columns.len());
    let width = inspection
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(32);
    for column in &inspection.columns {
        let mut line = format!(
            "  {:<width$}  {:<15} {:>9} filled {:>9} distinct",
            column.name,
            column.kind,
            count(column.filled),
            count(column.distinct),
        );
        if let Some(other) = &column.first_non_number
            && column.numbers * 2 > column.filled
        {
            let _ = write!(
                line,
                "  ({} numbers, others such as {other:?})",
                count(column.numbers)
            );
        } else if let Some(example) = &column.example {
            let example: String = example.chars().take(40).collect();
            let _ = write!(line, "  e.g. {:?}", example);
        }
        let _ = writeln!(out, "{line}");
    }
    describe_table(&mut out, "row", table, table.records.len());
    let roles = &table.roles;
    let _ = writeln!(
        out,
        "roles: id {}, name {}, category {}",
        roles.id.as_deref().unwrap_or("(row number)"),
        inspection.name_column.as_deref().unwrap_or("-"),
        roles.category.as_deref().unwrap_or("-"),
    );
    match (&roles.date, inspection.date_range) {
        (Some(date), Some((first, last))) => {
            let time = roles
                .time
                .as_ref()
                .map_or(String::new(), |t| format!(" with time {t}"));
            let _ = writeln!(
                out,
                "dates: {date}{time}: {} dated, from {first} to {last}",
                count(inspection.dated)
            );
        }
        (Some(date), None) => {
            let _ = writeln!(out, "dates: {date}: no readable date");
        }
        (None, _) => {
            let _ = writeln!(out, "dates: no date column found");
        }
    }
    if let (Some(key), Some(distinct)) = (&roles.key, inspection.distinct_incidents) {
        let _ = writeln!(
            out,
            "incident key: {key}: {} rows, {}",
            count(table.records.len()),
            plural(distinct, "incident", "incidents")
        );
    }
    match &table.extent {
        Some(extent) => {
            let _ = writeln!(out, "extent: {extent}");
        }
        None => {
            let _ = writeln!(out, "extent: no points");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(plural(1, "row", "rows"), "1 row");
        assert_eq!(plural(2000, "row", "rows"), "2,000 rows");
    }
}
