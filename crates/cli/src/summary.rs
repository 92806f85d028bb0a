//! The summary printed to stderr, in plain words.

use std::fmt::Write as _;
use std::path::Path;

use proximity::{Report, RowLog, Source};

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

/// One line per kind: `  skipped 6 rows: missing coordinate (rows 231, 1675, ...); first: ...`.
fn describe_log(out: &mut String, log: &RowLog, what: impl Fn(&str) -> String) {
    for (kind, entry) in log.iter() {
        let rows: Vec<String> = entry.first_rows.iter().map(usize::to_string).collect();
        let more = if entry.count > entry.first_rows.len() {
            ", ..."
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {}: {kind} ({} {}{more}); first: {}",
            what(&plural(entry.count, "row", "rows")),
            if entry.first_rows.len() == 1 {
                "row"
            } else {
                "rows"
            },
            rows.join(", "),
            entry.example
        );
    }
}

fn describe_input(out: &mut String, what: &str, source: &Source, loaded: usize, skipped: &RowLog) {
    let _ = writeln!(
        out,
        "{} loaded from {} ({} read, {} skipped)",
        plural(loaded, what, &format!("{what}s")),
        source.path,
        plural(source.rows, "row", "rows"),
        count(skipped.total()),
    );
    describe_log(out, skipped, |rows| format!("skipped {rows}"));
}

/// The summary of a finished report, ending with where it was written.
pub fn describe_report(report: &Report, output: Option<&Path>) -> String {
    let mut out = String::new();
    describe_input(
        &mut out,
        "school",
        &report.schools.source,
        report.schools.records.len(),
        &report.schools.skipped,
    );
    let incidents = &report.incidents;
    let loaded = incidents.records.len() + report.date_filtered.total();
    describe_input(
        &mut out,
        "incident",
        &incidents.source,
        loaded,
        &incidents.skipped,
    );
    describe_log(&mut out, &incidents.unreadable_dates, |rows| {
        format!("{rows} kept without a date")
    });
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
            count(incidents.records.len()),
            count(filtered.outside_range),
            count(filtered.without_date)
        );
    } else {
        let _ = writeln!(
            out,
            "dates: no filter, {} used",
            plural(incidents.records.len(), "incident", "incidents")
        );
    }
    let stats = &report.statistics;
    let _ = writeln!(
        out,
        "{} within {radius} of at least one school (each counted once)",
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
    if let Some(path) = output {
        let _ = writeln!(out, "report written to {}", path.display());
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
