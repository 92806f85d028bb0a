//! End to end on the sample city in `data/`: the report is valid RFC 7946 GeoJSON, its
//! counts equal a brute-force geodesic count, and it is byte-for-byte reproducible.

mod common;

use std::sync::OnceLock;

use common::oracle::{Row, Truth, read_points};
use serde_json::Value;

const RADIUS_M: f64 = 160.9344;

struct Sample {
    schools: Vec<Row>,
    incidents: Vec<Row>,
    skipped_rows: Vec<usize>,
    truth: Truth,
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let data = common::root().join("data");
        let (schools, _) = read_points(&data.join("schools.csv"), "lat", "lon", Some("id"), &[]);
        let (incidents, skipped_rows) = read_points(
            &data.join("incidents.csv"),
            "lat",
            "lon",
            Some("id"),
            &["date", "category"],
        );
        let truth = Truth::compute(&schools, &incidents, RADIUS_M);
        Sample {
            schools,
            incidents,
            skipped_rows,
            truth,
        }
    })
}

fn report(extra: &[&str]) -> (Value, String) {
    report_at("0.1mi", extra)
}

/// `report` on the sample city at `radius`, followed by `extra`.
fn sample_args<'a>(radius: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "report",
        "--schools",
        "data/schools.csv",
        "--incidents",
        "data/incidents.csv",
        "--radius",
        radius,
    ];
    args.extend_from_slice(extra);
    args
}

fn report_at(radius: &str, extra: &[&str]) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.geojson");
    let mut args = sample_args(radius, &["-o", out.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let output = common::run_ok(&args);
    (common::read_json(&out), common::stderr(&output))
}

fn features(report: &Value) -> &Vec<Value> {
    report["features"].as_array().unwrap()
}

#[test]
fn sample_report_is_valid_rfc7946() {
    let (report, _) = report(&[]);
    let errors = common::rfc7946::validate(&report);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(features(&report).len(), sample().schools.len());
}

#[test]
fn per_school_counts_and_nearest_equal_brute_force() {
    let sample = sample();
    let (report, _) = report(&[]);
    for (i, feature) in features(&report).iter().enumerate() {
        let properties = &feature["properties"];
        assert_eq!(
            properties["id"],
            Value::String(sample.schools[i].id.clone()),
            "order of schools"
        );
        let expected = sample.truth.within[i].len() as u64;
        assert_eq!(
            properties["incidents_within"].as_u64(),
            Some(expected),
            "school {}",
            sample.schools[i].id
        );
        let nearest = properties["nearest_m"].as_f64().unwrap();
        let truth = sample.truth.nearest_m[i].unwrap();
        assert!(
            (nearest - truth).abs() <= 0.0005 + 1e-9,
            "school {}: {nearest} vs {truth}",
            sample.schools[i].id
        );
        // The nearest id is an incident at exactly that distance.
        let id = properties["nearest_incident_id"].as_str().unwrap();
        let incident = sample.incidents.iter().find(|row| row.id == id).unwrap();
        assert!((common::oracle::geodesic_m(&sample.schools[i], incident) - truth).abs() < 1e-6);
        // Years add up to the count.
        let years: u64 = properties["incidents_by_year"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(years, expected);
    }
    let summary = &report["summary"];
    assert_eq!(
        summary["distinct_incidents_within_radius"].as_u64(),
        Some(sample.truth.distinct_within() as u64)
    );
    assert_eq!(
        summary["schools_with_incidents_within_radius"].as_u64(),
        Some(sample.truth.schools_with_any() as u64)
    );
    assert_eq!(
        summary["incidents"]["skipped"].as_u64(),
        Some(sample.skipped_rows.len() as u64)
    );
    assert_eq!(
        summary["incidents"]["used"].as_u64(),
        Some(sample.incidents.len() as u64)
    );
    assert_eq!(summary["radius"]["metres"].as_f64(), Some(RADIUS_M));
}

#[test]
fn date_filter_and_categories_match_brute_force() {
    let sample = sample();
    let (report, stderr) = report(&[
        "--from",
        "2021-01-01",
        "--to",
        "2022-01-01",
        "--category-col",
        "category",
    ]);
    let in_2021 =
        |row: &Row| row.extra[0].as_str() >= "2021-01-01" && row.extra[0].as_str() < "2022-01-01";
    let mut distinct = std::collections::BTreeSet::new();
    for (i, feature) in features(&report).iter().enumerate() {
        let properties = &feature["properties"];
        let hits: Vec<&Row> = sample.truth.within[i]
            .iter()
            .map(|&j| &sample.incidents[j])
            .filter(|r| in_2021(r))
            .collect();
        distinct.extend(hits.iter().map(|r| r.row));
        assert_eq!(
            properties["incidents_within"].as_u64(),
            Some(hits.len() as u64)
        );
        let by_category = properties["incidents_by_category"].as_object().unwrap();
        for (category, count) in by_category {
            let expected = hits.iter().filter(|r| &r.extra[1] == category).count() as u64;
            assert_eq!(count.as_u64(), Some(expected), "category {category}");
        }
        let years = properties["incidents_by_year"].as_object().unwrap();
        assert!(years.keys().all(|year| year == "2021"));
        if let Some(first) = properties["first_incident_date"].as_str() {
            assert!(first.starts_with("2021-"));
            let earliest = hits
                .iter()
                .map(|r| r.extra[0].replace(' ', "T"))
                .min()
                .unwrap();
            assert_eq!(first, earliest);
        } else {
            assert!(hits.is_empty());
        }
    }
    assert_eq!(
        report["summary"]["distinct_incidents_within_radius"].as_u64(),
        Some(distinct.len() as u64)
    );
    let used = sample.incidents.iter().filter(|r| in_2021(r)).count() as u64;
    assert_eq!(report["summary"]["incidents"]["used"].as_u64(), Some(used));
    let filters = &report["summary"]["filters"];
    assert_eq!(
        (filters["from"].as_str(), filters["to"].as_str()),
        (Some("2021-01-01"), Some("2022-01-01"))
    );
    assert!(
        stderr.contains("from 2021-01-01 (inclusive) to 2022-01-01 (exclusive)"),
        "{stderr}"
    );
}

#[test]
fn output_is_reproducible_and_stdout_equals_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for name in ["a.geojson", "b.geojson"] {
        let path = dir.path().join(name);
        common::run_ok(&sample_args("0.1mi", &["-o", path.to_str().unwrap()]));
        outputs.push(std::fs::read(&path).unwrap());
    }
    assert!(outputs[0] == outputs[1], "two runs gave different bytes");
    let stdout = common::run_ok(&sample_args("0.1mi", &["--quiet"]));
    assert!(stdout.stdout == outputs[0], "stdout differs from the file");
    assert!(
        stdout.stderr.is_empty(),
        "--quiet printed: {}",
        common::stderr(&stdout)
    );
    // Only the two reports are left: no temporary files.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn summary_on_stderr_names_totals_and_skips() {
    let (report, stderr) = report(&[]);
    let distinct = report["summary"]["distinct_incidents_within_radius"]
        .as_u64()
        .unwrap();
    assert!(
        stderr.contains(&format!(
            "{distinct} distinct incidents within 0.1mi of at least one school"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("radius: 0.1mi = 160.9344 m"), "{stderr}");
    assert!(stderr.contains("missing coordinate"), "{stderr}");
    assert!(stderr.contains("point at (0, 0)"), "{stderr}");
    let skipped = &report["summary"]["incidents"]["skipped_by_reason"]["missing coordinate"];
    assert_eq!(skipped["first_rows"].as_array().unwrap().len(), 5);
    assert!(skipped["example"].as_str().unwrap().starts_with("row "));
}

#[test]
fn geojson_schools_give_the_same_counts() {
    let sample = sample();
    let dir = tempfile::tempdir().unwrap();
    let features: Vec<Value> = sample
        .schools
        .iter()
        .map(|s| {
            serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [s.lon, s.lat] },
                "properties": { "school_id": s.id.parse::<u64>().unwrap(), "enrolment": 100 },
            })
        })
        .collect();
    let path = dir.path().join("schools.geojson");
    std::fs::write(
        &path,
        serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string(),
    )
    .unwrap();
    let out = dir.path().join("report.geojson");
    common::run_ok(&[
        "report",
        "--schools",
        path.to_str().unwrap(),
        "--incidents",
        "data/incidents.csv",
        "--radius",
        "160.9344m",
        "-o",
        out.to_str().unwrap(),
    ]);
    let report = common::read_json(&out);
    for (i, feature) in report["features"].as_array().unwrap().iter().enumerate() {
        // Properties keep their JSON types; the id column ends in _id.
        assert_eq!(feature["properties"]["enrolment"], Value::from(100));
        assert_eq!(feature["id"], Value::String(sample.schools[i].id.clone()));
        assert_eq!(
            feature["properties"]["incidents_within"].as_u64(),
            Some(sample.truth.within[i].len() as u64)
        );
    }
    assert_eq!(report["metadata"]["inputs"]["schools"]["format"], "geojson");
}

#[test]
fn radius_units_agree() {
    // 0.1 mi = 528 ft = 176 yd = 160.9344 m = 0.1609344 km: the same report but for the radius text.
    let reports: Vec<Value> = ["0.1mi", "528ft", "176yd", "160.9344m", "0.1609344km"]
        .iter()
        .map(|r| report_at(r, &[]).0)
        .collect();
    let counts = |report: &Value| -> Vec<u64> {
        features(report)
            .iter()
            .map(|f| f["properties"]["incidents_within"].as_u64().unwrap())
            .collect()
    };
    for other in &reports[1..] {
        assert_eq!(counts(other), counts(&reports[0]));
        assert_eq!(
            other["summary"]["radius"]["metres"]
                .as_f64()
                .map(|m| (m - RADIUS_M).abs() < 1e-9),
            Some(true)
        );
    }
}

/// `--table` writes the same statistics as the GeoJSON, one row per school, with a column per
/// year and per category; the CSV and Parquet tables are written side by side.
#[test]
fn per_school_table_agrees_with_the_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.geojson");
    let csv_path = dir.path().join("schools.csv");
    let parquet_path = dir.path().join("schools.parquet");
    for table in [&csv_path, &parquet_path] {
        common::run_ok(&sample_args(
            "0.1mi",
            &[
                "--category-col",
                "category",
                "-o",
                out.to_str().unwrap(),
                "--table",
                table.to_str().unwrap(),
            ],
        ));
    }
    let report = common::read_json(&out);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header[..9],
        [
            "school_id",
            "school_name",
            "lon",
            "lat",
            "incidents_within",
            "nearest_m",
            "nearest_incident_id",
            "first_incident_date",
            "last_incident_date"
        ]
    );
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let features = features(&report);
    assert_eq!(rows.len(), features.len());
    let mut checked_years = 0;
    for (row, feature) in rows.iter().zip(features) {
        let properties = &feature["properties"];
        assert_eq!(row[column("school_id")], *feature["id"].as_str().unwrap());
        assert_eq!(
            row[column("incidents_within")].parse::<u64>().unwrap(),
            properties["incidents_within"].as_u64().unwrap()
        );
        let nearest: f64 = row[column("nearest_m")].parse().unwrap();
        assert_eq!(nearest, properties["nearest_m"].as_f64().unwrap());
        assert_eq!(
            row[column("nearest_incident_id")],
            *properties["nearest_incident_id"].as_str().unwrap()
        );
        let position = feature["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(
            row[column("lon")].parse::<f64>().unwrap(),
            position[0].as_f64().unwrap()
        );
        for year in 2019..=2023 {
            let in_table: u64 = row[column(&format!("incidents_{year}"))].parse().unwrap();
            let in_report = properties["incidents_by_year"][year.to_string()]
                .as_u64()
                .unwrap_or(0);
            assert_eq!(in_table, in_report);
            checked_years += in_table;
        }
        for category in ["assault", "battery", "homicide", "robbery", "shooting"] {
            let in_table: u64 = row[column(&format!("category_{category}"))]
                .parse()
                .unwrap();
            let in_report = properties["incidents_by_category"][category]
                .as_u64()
                .unwrap_or(0);
            assert_eq!(in_table, in_report);
        }
    }
    assert!(checked_years > 0);
    let parquet = std::fs::read(&parquet_path).unwrap();
    assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
}

/// The generator's Parquet files hold the same city as its CSV files: reports from either
/// give the same table.
#[test]
fn parquet_input_gives_the_same_table_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let city = dir.path().to_str().unwrap();
    common::run_ok(&[
        "generate",
        "--out",
        city,
        "--schools",
        "60",
        "--incidents",
        "4000",
        "--seed",
        "7",
        "--parquet",
    ]);
    let table = |extension: &str| {
        let out = dir.path().join(format!("{extension}.csv"));
        common::run_ok(&[
            "report",
            "--schools",
            dir.path()
                .join(format!("schools.{extension}"))
                .to_str()
                .unwrap(),
            "--incidents",
            dir.path()
                .join(format!("incidents.{extension}"))
                .to_str()
                .unwrap(),
            "--radius",
            "300m",
            "--category-col",
            "category",
            "-o",
            dir.path()
                .join(format!("{extension}.geojson"))
                .to_str()
                .unwrap(),
            "--table",
            out.to_str().unwrap(),
        ]);
        std::fs::read_to_string(out).unwrap()
    };
    let from_csv = table("csv");
    assert!(from_csv.lines().count() == 61, "{from_csv}");
    assert_eq!(from_csv, table("parquet"));
}
