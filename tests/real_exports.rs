//! Every real export in `../shared/data` loads with no flags, and what `inspect` finds in it
//! agrees with its `PROVENANCE.md`: rows, skips by reason, the source of points, the date
//! range, the extent and the outliers. Then the NYC pair (2017-18 schools x NYPD shootings),
//! where victims and incidents both equal a brute-force geodesic count, and filters on the
//! Tribune's free-text ages.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use common::oracle::{PointCells, Truth, read_points, read_points_from};
use serde_json::Value;

/// The study boxes the PROVENANCE files check coordinates against: S,N,W,E.
const CHICAGO_BOX: &str = "41.64,42.03,-87.95,-87.52";
const NYC_BOX: &str = "40.49,40.92,-74.26,-73.69";

fn chicago(file: &str) -> PathBuf {
    common::shared_data().join("chicago").join(file)
}

fn nyc(file: &str) -> PathBuf {
    common::shared_data().join("nyc").join(file)
}

/// `proximity inspect --json FILE [extra...]`, parsed.
fn inspect(path: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["inspect", "--json", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = common::run_ok(&args);
    serde_json::from_slice(&output.stdout).expect("inspect --json prints JSON")
}

/// What PROVENANCE.md says about one file.
struct Expected<'a> {
    rows: u64,
    /// Skipped rows by reason, as the summary names the reasons.
    skipped: &'a [(&'a str, u64)],
    /// The source of points, as the report names it.
    points: &'a str,
    /// The first and last date (prefixes of the printed date-times).
    dates: Option<(&'a str, &'a str)>,
}

fn check(json: &Value, expected: &Expected) {
    let rows = &json["rows"];
    assert_eq!(rows["rows"].as_u64(), Some(expected.rows), "{rows:#}");
    let skipped: BTreeMap<String, u64> = rows["skipped_by_reason"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(reason, sample)| (reason.clone(), sample["count"].as_u64().unwrap()))
        .collect();
    let want: BTreeMap<String, u64> = expected
        .skipped
        .iter()
        .map(|(reason, count)| (reason.to_string(), *count))
        .collect();
    assert_eq!(skipped, want);
    let total: u64 = want.values().sum();
    assert_eq!(rows["skipped"].as_u64(), Some(total));
    assert_eq!(rows["loaded"].as_u64(), Some(expected.rows - total));
    assert_eq!(json["source"]["points"], expected.points);
    match expected.dates {
        Some((first, last)) => {
            let dates = &json["dates"];
            assert!(
                dates["first"].as_str().unwrap().starts_with(first),
                "{dates}"
            );
            assert!(dates["last"].as_str().unwrap().starts_with(last), "{dates}");
            // Every row used has a date.
            assert_eq!(dates["dated"], rows["used"]);
        }
        None => assert_eq!(json["dates"]["column"], Value::Null),
    }
}

/// The extent [west, south, east, north] equals PROVENANCE's figures to their precision.
fn check_extent(json: &Value, south: f64, north: f64, west: f64, east: f64, tolerance: f64) {
    let extent: Vec<f64> = json["source"]["extent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (got, want) in extent.iter().zip([west, south, east, north]) {
        assert!((got - want).abs() <= tolerance, "extent {extent:?}");
    }
}

/// The extent lies inside the study box S,N,W,E.
fn check_inside(json: &Value, bbox: &str) {
    let b: Vec<f64> = bbox.split(',').map(|v| v.parse().unwrap()).collect();
    let e: Vec<f64> = json["source"]["extent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        e[0] >= b[2] && e[2] <= b[3] && e[1] >= b[0] && e[3] <= b[1],
        "extent {e:?} outside {bbox}"
    );
}

/// The outliers found with the study box, and that with the box they are dropped, counted.
fn check_box_outliers(path: &Path, bbox: &str, outside: u64) -> Value {
    let json = inspect(path, &["--bbox", bbox]);
    let dropped = json["rows"]["skipped_by_reason"]["outside --bbox"]["count"].as_u64();
    assert_eq!(dropped.unwrap_or(0), outside);
    check_inside(&json, bbox);
    json
}

fn rows_of(sample: &Value) -> Vec<u64> {
    sample["first_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

#[test]
fn chicago_schools_sy1718() {
    let path = chicago("School_Locations_SY1718.csv");
    let json = inspect(&path, &[]);
    let expected = Expected {
        rows: 661,
        skipped: &[],
        points: "columns Lat, Long",
        dates: None,
    };
    check(&json, &expected);
    check_extent(&json, 41.6537, 42.0211, -87.8410, -87.5280, 6e-5);
    // the_geom repeats the points as WKT, and agrees.
    let other = &json["source"]["other_point_sources"][0];
    assert_eq!(other["source"], "WKT column the_geom");
    assert_eq!(
        (
            other["valid_rows"].as_u64(),
            other["disagreeing_rows"].as_u64()
        ),
        (Some(661), Some(0))
    );
    assert_eq!(json["source"]["columns_used"]["id"], "School_ID");
    assert_eq!(json["name_column"], "Short_Name");
    assert_eq!(json["rows"]["notes"], serde_json::json!({}));
}

#[test]
fn chicago_schools_sy1920_bare_cr_and_x_y() {
    let path = chicago("Chicago_Public_Schools_-_School_Locations_SY1920.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 654,
            skipped: &[],
            points: "columns Y, X",
            dates: None,
        },
    );
    assert_eq!(json["source"]["csv_dialect"]["line_endings"], "CR");
    check_inside(&json, CHICAGO_BOX);
    assert_eq!(json["name_column"], "School_Nm");
}

#[test]
fn tribune_shootings_2012_to_2017() {
    let path = chicago("tribune_shooting_victims_2012-01-01_to_2017-07-14.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 16_605,
            skipped: &[("missing coordinate", 117)],
            points: "columns LAT, LNG",
            dates: Some(("2012-01-01", "2017-07-14")),
        },
    );
    // Without a box, points far from the rest are flagged and kept.
    let outliers = &json["rows"]["notes"]["outliers"];
    assert_eq!(outliers["action"], "kept");
    assert!(outliers["count"].as_u64().unwrap() >= 10, "{outliers}");
    // With the city's box: PROVENANCE's 20 points outside the city.
    check_box_outliers(&path, CHICAGO_BOX, 20);
}

#[test]
fn tribune_shootings_2017() {
    let path = chicago("tribune_shooting_victims_2017.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 3543,
            skipped: &[("missing coordinate", 6)],
            points: "columns LAT, LNG",
            dates: Some(("2017-01-01", "2017-12-27")),
        },
    );
    let missing = &json["rows"]["skipped_by_reason"]["missing coordinate"];
    assert!(
        missing["example"]
            .as_str()
            .unwrap()
            .contains("column \"LAT\": missing coordinate: \"None\"")
    );
    // The date and time columns are combined.
    assert_eq!(json["dates"]["time_column"], "TIME");
    // Indianapolis is flagged as far from the rest, with its row.
    let outliers = json["rows"]["notes"]["outliers"]["rows"]
        .as_array()
        .unwrap();
    assert!(
        outliers
            .iter()
            .any(|o| (o["lat"].as_f64().unwrap() - 39.77).abs() < 0.01
                && (o["lon"].as_f64().unwrap() + 86.17).abs() < 0.01),
        "{outliers:?}"
    );
    check_box_outliers(&path, CHICAGO_BOX, 8);
}

#[test]
fn tribune_shootings_2018() {
    let path = chicago("tribune_shooting_victims_2018-01-01_to_2018-02-12.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 249,
            skipped: &[("missing coordinate", 3)],
            points: "columns LAT, LNG",
            dates: Some(("2018-01-01", "2018-02-12")),
        },
    );
    check_inside(&json, CHICAGO_BOX);
    check_box_outliers(&path, CHICAGO_BOX, 0);
}

#[test]
fn tribune_homicides() {
    let path = chicago("tribune_homicide_victims_2013-01-01_to_2018-02-11.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 2911,
            // 20 "None" and one blank.
            skipped: &[("missing coordinate", 21)],
            points: "columns LAT, LNG",
            dates: Some(("2013-01-01", "2018-02-11")),
        },
    );
    check_box_outliers(&path, CHICAGO_BOX, 7);
}

#[test]
fn chicago_portal_homicides() {
    let path = chicago("chicago_data_portal_homicides_2001_to_2018-03-07.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 8995,
            skipped: &[("missing coordinate", 83)],
            points: "columns Latitude, Longitude",
            dates: Some(("2001-01-01T10:40", "2018-03-07T22:26")),
        },
    );
    // The R row-name column has an empty header, and is renamed, saying so.
    let renamed = &json["source"]["csv_dialect"]["renamed_columns"][0];
    assert_eq!(renamed["from"], "");
    // Illinois state-plane feet are never read as degrees.
    let others = json["source"]["other_point_sources"].as_array().unwrap();
    let state_plane = others
        .iter()
        .find(|o| o["source"] == "columns Y.Coordinate, X.Coordinate")
        .expect("the state-plane columns are considered");
    assert_eq!(state_plane["valid_rows"].as_u64(), Some(0));
    // The six placeholder points in southern Missouri are the outliers.
    let outliers = &json["rows"]["notes"]["outliers"];
    assert_eq!(outliers["count"].as_u64(), Some(6), "{outliers}");
    for outlier in outliers["rows"].as_array().unwrap() {
        assert_eq!(outlier["lat"].as_f64(), Some(36.619446395));
        assert_eq!(outlier["lon"].as_f64(), Some(-91.686565684));
    }
    // Victims are grouped into cases by Case.Number, as an independent count gives.
    let (rows, _) = read_points(&path, "Latitude", "Longitude", None, &["Case.Number"]);
    let cases: HashSet<&str> = rows.iter().map(|r| r.extra[0].as_str()).collect();
    let key = &json["incident_key"];
    assert_eq!(key["column"], "Case.Number");
    assert_eq!(key["rows"].as_u64(), Some(8912));
    assert_eq!(key["distinct_incidents"].as_u64(), Some(cases.len() as u64));
    check_box_outliers(&path, CHICAGO_BOX, 6);
}

#[test]
fn chicago_official_shootings_2023_2024() {
    let path = chicago("shooting_victimizations_2023_2024.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 2676,
            skipped: &[],
            points: "columns latitude, longitude",
            dates: Some(("2023-01-01T00:01", "2024-09-01T21:42")),
        },
    );
    let extent = json["source"]["extent"].as_array().unwrap();
    assert!((extent[1].as_f64().unwrap() - 41.644).abs() < 6e-4);
    assert!((extent[3].as_f64().unwrap() - 41.939).abs() < 6e-4);
    assert_eq!(json["source"]["columns_used"]["id"], "id");
}

#[test]
fn nypd_shootings() {
    let path = nyc("NYPD_Shooting_Incident_Data__Historic_.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 20_659,
            skipped: &[],
            points: "columns Latitude, Longitude",
            dates: Some(("2006-01-01", "2018-12-31")),
        },
    );
    check_extent(&json, 40.5116, 40.9108, -74.2493, -73.7031, 6e-5);
    assert_eq!(json["dates"]["time_column"], "OCCUR_TIME");
    let key = &json["incident_key"];
    assert_eq!(key["column"], "INCIDENT_KEY");
    assert_eq!(key["distinct_incidents"].as_u64(), Some(16_255));
    // INCIDENT_KEY repeats, so it is not an id: rows are numbered, and the note says why.
    assert_eq!(json["source"]["columns_used"]["id"], Value::Null);
    let note = json["source"]["id_note"].as_str().unwrap();
    assert!(note.contains("\"INCIDENT_KEY\" is not an id"), "{note}");
    // State-plane feet are never read as degrees.
    let others = json["source"]["other_point_sources"].as_array().unwrap();
    assert!(others.iter().all(|o| o["valid_rows"].as_u64() == Some(0)));
    assert_eq!(json["rows"]["notes"], serde_json::json!({}));
    check_box_outliers(&path, NYC_BOX, 0);
}

#[test]
fn nyc_schools_2017_2018_location_text_and_rejects() {
    let path = nyc("2017_-_2018_School_Locations.csv");
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.csv");
    let json = inspect(&path, &["--rejects", rejects.to_str().unwrap()]);
    check(
        &json,
        &Expected {
            rows: 1823,
            skipped: &[("missing coordinate", 1), ("point at (0, 0)", 1)],
            points: "\"(lat, lon)\" column Location 1",
            dates: Some(("1", "2")),
        },
    );
    check_extent(&json, 40.5083, 40.9033, -74.2440, -73.7086, 6e-5);
    // X_COORDINATE = 990141 is in feet, not a longitude.
    let others = json["source"]["other_point_sources"].as_array().unwrap();
    assert_eq!(others[0]["source"], "columns Y_COORDINATE, X_COORDINATE");
    assert_eq!(others[0]["valid_rows"].as_u64(), Some(0));
    // The two rejected rows, unchanged, with their reasons: 75Q256 and 84X497.
    let mut reader = csv::Reader::from_path(&rejects).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "rejected_row");
    assert_eq!(&headers[1], "reject_reason");
    assert_eq!(&headers[2], "FISCAL_YEAR");
    let code = headers.iter().position(|h| h == "ATS SYSTEM CODE").unwrap();
    let location = headers.iter().position(|h| h == "Location 1").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Unchanged: the codes keep their padding.
    let codes: Vec<&str> = records.iter().map(|r| &r[code]).collect();
    assert_eq!(codes, ["75Q256      ", "84X497      "]);
    assert!(records[1][1].contains("(0, 0)"), "{:?}", &records[1]);
    assert!(records[1][location].ends_with("(0.0, 0.0)"));
    assert_eq!(records[0].len(), headers.len());
}

#[test]
fn nyc_schools_2019_2020_duplicates_are_reported() {
    let path = nyc("2019_-_2020_School_Locations_Brooklyn_only.csv");
    let json = inspect(&path, &[]);
    check(
        &json,
        &Expected {
            rows: 695,
            skipped: &[],
            points: "columns LATITUDE, LONGITUDE",
            dates: Some(("1", "2")),
        },
    );
    check_extent(&json, 40.5740, 40.7270, -74.0381, -73.8630, 6e-5);
    let notes = &json["rows"]["notes"];
    assert_eq!(notes["duplicate_rows"]["count"].as_u64(), Some(20));
    assert_eq!(notes["duplicate_ids"]["count"].as_u64(), Some(20));
    assert_eq!(json["source"]["columns_used"]["id"], "system_code");
    // Kept, not merged: every row is used.
    assert_eq!(json["rows"]["used"].as_u64(), Some(695));
    // The closed and never-opened schools can be left out with --where.
    let open = inspect(&path, &["--where", "Status_descriptions = 'Open'"]);
    assert_eq!(open["rows"]["used"].as_u64(), Some(592));
    assert_eq!(open["rows"]["where"]["excluded"].as_u64(), Some(103));
}

/// NYC 2017-18 schools against NYPD shootings at a tenth of a mile: per school, victims
/// (rows) and incidents (distinct INCIDENT_KEYs) equal a brute-force geodesic count.
#[test]
fn nyc_schools_against_nypd_shootings_victims_and_incidents() {
    let schools_path = nyc("2017_-_2018_School_Locations.csv");
    let incidents_path = nyc("NYPD_Shooting_Incident_Data__Historic_.csv");
    let (report, stderr) = common::report_files(&schools_path, &incidents_path, "0.1mi", &[]);

    let (schools, skipped) = read_points_from(
        &schools_path,
        PointCells::LatLonText("Location 1"),
        Some("LOCATION_CODE"),
        &[],
    );
    assert_eq!((schools.len(), skipped.len()), (1821, 2));
    let (incidents, _) = read_points(
        &incidents_path,
        "Latitude",
        "Longitude",
        None,
        &["INCIDENT_KEY"],
    );
    assert_eq!(incidents.len(), 20_659);
    let truth = Truth::compute(&schools, &incidents, 160.9344);

    let features = report["features"].as_array().unwrap();
    assert_eq!(features.len(), 1821);
    let mut all_victims = HashSet::new();
    let mut all_incidents = HashSet::new();
    for (i, feature) in features.iter().enumerate() {
        let properties = &feature["properties"];
        assert_eq!(properties["LOCATION_CODE"], schools[i].id.as_str());
        let hits = &truth.within[i];
        let keys: HashSet<&str> = hits
            .iter()
            .map(|&j| incidents[j].extra[0].as_str())
            .collect();
        all_victims.extend(hits.iter().copied());
        all_incidents.extend(keys.iter().copied());
        assert_eq!(
            properties["victims_within"].as_u64(),
            Some(hits.len() as u64),
            "school {}",
            schools[i].id
        );
        assert_eq!(
            properties["incidents_within"].as_u64(),
            Some(keys.len() as u64),
            "school {}",
            schools[i].id
        );
        let nearest = properties["nearest_m"].as_f64().unwrap();
        assert!((nearest - truth.nearest_m[i].unwrap()).abs() < 0.001);
        // The nearest "incident" is named by its key.
        let nearest_id = properties["nearest_incident_id"].as_str().unwrap();
        assert!(
            incidents.iter().any(|r| r.extra[0] == nearest_id),
            "{nearest_id}"
        );
    }
    let summary = &report["summary"];
    assert_eq!(
        summary["distinct_incidents_within_radius"].as_u64(),
        Some(all_incidents.len() as u64)
    );
    assert_eq!(
        summary["distinct_victims_within_radius"].as_u64(),
        Some(all_victims.len() as u64)
    );
    assert_eq!(
        summary["incidents"]["distinct_incidents_used"].as_u64(),
        Some(16_255)
    );
    assert!(
        all_victims.len() > all_incidents.len(),
        "NYC has multi-victim incidents near schools"
    );
    assert_eq!(
        report["metadata"]["inputs"]["incidents"]["columns_used"]["incident_key"],
        "INCIDENT_KEY"
    );
    assert!(stderr.contains("INCIDENT_KEY"), "{stderr}");
    let skipped = &summary["schools"]["skipped_by_reason"];
    assert_eq!(rows_of(&skipped["missing coordinate"]), [1598]);
    assert_eq!(rows_of(&skipped["point at (0, 0)"]), [1804]);
}

/// Ages written as free text ("20s", "Unk", "11 months") are read as numbers only with
/// --numeric, which counts the cells that are not numbers; the filter then keeps exactly
/// the rows an independent reading keeps.
#[test]
fn tribune_ages_filter_with_numeric() {
    let path = chicago("tribune_shooting_victims_2017.csv");
    // Without --numeric, comparing the text column with a number is an error with a hint.
    let output = common::run(&["inspect", path.to_str().unwrap(), "--where", "AGE <= 19"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = common::stderr(&output);
    assert!(stderr.contains("--numeric \"AGE\""), "{stderr}");
    assert!(
        stderr.contains("tribune_shooting_victims_2017.csv"),
        "{stderr}"
    );

    let json = inspect(
        &path,
        &[
            "--numeric",
            "AGE",
            "--where",
            "AGE <= 19 AND AGE >= 0 AND IS_FATAL = 0",
        ],
    );
    let (rows, _) = read_points(&path, "LAT", "LNG", None, &["AGE", "IS_FATAL"]);
    let age = |text: &str| text.trim().parse::<f64>().ok();
    let kept = rows
        .iter()
        .filter(|r| age(&r.extra[0]).is_some_and(|a| (0.0..=19.0).contains(&a)))
        .filter(|r| r.extra[1].trim() == "0")
        .count();
    let not_numbers = rows
        .iter()
        .filter(|r| {
            let text = r.extra[0].trim();
            !text.is_empty() && age(text).is_none()
        })
        .count();
    assert_eq!(json["rows"]["used"].as_u64(), Some(kept as u64));
    let note = &json["rows"]["notes"]["not_numeric"]["AGE"];
    assert_eq!(note["count"].as_u64(), Some(not_numbers as u64), "{note}");
    assert!(not_numbers > 0);
}
