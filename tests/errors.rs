//! Bad usage and bad input: clear messages naming the file, row and column, exit code 2,
//! and never a half-written output file.

mod common;

use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const SCHOOLS: &str = "id,name,lat,lon\n1,One,41.88,-87.63\n";

/// Runs `report` on the given files and radius; returns (exit code, stderr).
fn report(schools: &str, incidents: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "report",
        "--schools",
        schools,
        "--incidents",
        incidents,
        "--radius",
        "0.1mi",
    ];
    args.extend_from_slice(extra);
    let output = common::run(&args);
    (output.status.code().unwrap_or(-1), common::stderr(&output))
}

fn check_error(extra_files: &[(&str, &str)], extra: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let schools = write(dir.path(), "schools.csv", SCHOOLS);
    let mut incidents = write(dir.path(), "incidents.csv", "id,lat,lon\n1,41.88,-87.63\n");
    for (name, text) in extra_files {
        let path = write(dir.path(), name, text);
        if *name == "incidents.csv" {
            incidents = path;
        }
    }
    let (code, stderr) = report(&schools, &incidents, extra);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{stderr:?} lacks {needle:?}");
    }
}

#[test]
fn a_radius_needs_a_unit() {
    let output = common::run(&[
        "report",
        "--schools",
        "data/schools.csv",
        "--incidents",
        "data/incidents.csv",
        "--radius",
        "0.1",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("invalid distance \"0.1\": a distance needs a unit"),
        "{stderr}"
    );
    assert!(stderr.contains("mi, ft, yd, m, km"), "{stderr}");
}

#[test]
fn missing_arguments_and_files() {
    let output = common::run(&["report", "--schools", "data/schools.csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("--incidents"));
    check_error(
        &[],
        &["--from", "2018-01-01", "--to", "2017-01-01"],
        &["is not before --to"],
    );
    let (code, stderr) = report("data/schools.csv", "no/such/file.csv", &[]);
    assert_eq!(code, 2);
    // Said once, in plain words.
    assert!(
        stderr.contains("error: no/such/file.csv: no such file\n"),
        "{stderr}"
    );
    let (code, stderr) = report("data/schools.csv", "data", &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("error: data: is a directory"), "{stderr}");
}

#[test]
fn strict_names_file_row_and_column() {
    let bad = "id,lat,lon\n1,41.88,-87.63\n2,n/a?,-87.6\n";
    check_error(
        &[("incidents.csv", bad)],
        &["--strict"],
        &["incidents.csv: row 2: column \"lat\": not a number: \"n/a?\""],
    );
    // Without --strict the row is skipped and counted, and the run succeeds.
    let dir = tempfile::tempdir().unwrap();
    let schools = write(dir.path(), "schools.csv", SCHOOLS);
    let incidents = write(dir.path(), "incidents.csv", bad);
    let (code, stderr) = report(
        &schools,
        &incidents,
        &["-o", dir.path().join("r.geojson").to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("skipped 1 row: coordinate not a number (row 2); first: row 2: column \"lat\": not a number: \"n/a?\""), "{stderr}");
}

#[test]
fn misspelt_columns_get_suggestions() {
    check_error(
        &[],
        &["--lat-col", "lattitude"],
        &["schools.csv: no column \"lattitude\"; did you mean \"lat\"?"],
    );
    let dated = "id,Occurred_Date,lat,lon\n1,2017-01-01,41.88,-87.63\n";
    check_error(
        &[("incidents.csv", dated)],
        &["--date-col", "occured_date"],
        &["did you mean \"Occurred_Date\"?"],
    );
}

#[test]
fn files_without_coordinates_or_rows() {
    check_error(
        &[("incidents.csv", "id,address\n1,100 Main St\n")],
        &[],
        &[
            "incidents.csv: no latitude/longitude columns found",
            "columns are: id, address",
            "hint: name the columns with --lat-col",
        ],
    );
    check_error(
        &[("incidents.csv", "")],
        &[],
        &["incidents.csv: the file is empty"],
    );
    check_error(
        &[("incidents.csv", "id,lat,lon\n1,None,\n2,,\n")],
        &[],
        &[
            "incidents.csv: no usable coordinates in columns lat, lon: none of the 2 rows has a valid point",
            "for example row 1: column \"lat\": missing coordinate: \"None\"",
        ],
    );
    check_error(
        &[(
            "incidents.csv",
            "{\"type\": \"FeatureCollection\", \"features\": [}",
        )],
        &[],
        &["incidents.csv: not valid GeoJSON"],
    );
}

#[test]
fn a_failed_run_leaves_the_old_output_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.geojson");
    std::fs::write(&out, "previous report").unwrap();
    let (code, _) = report(
        "data/schools.csv",
        "no/such/file.csv",
        &["-o", out.to_str().unwrap()],
    );
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous report");
    // An output folder that does not exist: exit 1, nothing written.
    let missing = dir.path().join("no/such/dir/report.geojson");
    let (code, stderr) = report(
        "data/schools.csv",
        "data/incidents.csv",
        &["-o", missing.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("cannot create a temporary file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn help_has_examples_and_every_option() {
    let output = common::run_ok(&["report", "--help"]);
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "Examples:",
        "--radius",
        "--from",
        "--to",
        "--precision",
        "--lat-col",
        "--date-col",
        "--category-col",
        "--strict",
        "Exit status",
    ] {
        assert!(help.contains(needle), "help lacks {needle}");
    }
}
