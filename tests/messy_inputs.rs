//! Exports as a city's portal writes them, made here so that every quirk is known: an
//! unseen city (schools with X/Y columns, a BOM and embedded newlines; shootings with CRLF
//! endings and missing coordinates), CSV dialects, point sources, swapped axes, ids, dates
//! and time zones, incident keys, `--where`, `--numeric` and `--rejects`.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::oracle::{Row, Truth};
use serde_json::Value;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `proximity inspect --json FILE [extra...]`, parsed.
fn inspect(path: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["inspect", "--json", arg(path)];
    args.extend_from_slice(extra);
    let output = common::run_ok(&args);
    serde_json::from_slice(&output.stdout).expect("inspect --json prints JSON")
}

/// Runs and expects exit code 2; returns stderr.
fn run_fails(args: &[&str]) -> String {
    let output = common::run(args);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

/// A small deterministic generator (64-bit LCG), so the test needs no random crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// An unseen city: schools with X/Y columns, a UTF-8 BOM and multi-line quoted addresses;
/// shootings with CRLF line endings, US dates with a separate time column, a case number
/// shared by victims of one incident, and rows whose coordinates are missing. It loads with
/// no flags, every skipped row is reported, and the counts equal a brute-force count.
#[test]
fn an_unseen_city_loads_with_no_flags() {
    let dir = tempfile::tempdir().unwrap();
    let mut random = Lcg(7);
    let (lat0, lon0) = (39.95, -75.16);
    let mut schools_csv = String::from("\u{feff}SCHOOL_CODE,SCHOOL NAME,ADDRESS,X,Y\n");
    let mut schools = Vec::new();
    for i in 0..40 {
        let lat = lat0 + (random.next() - 0.5) * 0.2;
        let lon = lon0 + (random.next() - 0.5) * 0.25;
        schools_csv.push_str(&format!(
            "S{i:03},\"School \"\"{i}\"\"\",\"{} Main St\nPhiladelphia, PA\",{lon:.6},{lat:.6}\n",
            100 + i
        ));
        schools.push((lat, lon));
    }
    let mut shootings_csv =
        String::from("CASE_NO,DATE_OCCURRED,TIME_OCCURRED,VICTIM_AGE,LATITUDE,LONGITUDE\r\n");
    let mut incidents = Vec::new();
    let mut missing_rows = Vec::new();
    let mut row = 0;
    for case in 0..1500 {
        let (slat, slon) = schools[case % schools.len()];
        let lat = slat + (random.next() - 0.5) * 0.006;
        let lon = slon + (random.next() - 0.5) * 0.008;
        let victims = if case % 10 == 0 { 2 } else { 1 };
        for _ in 0..victims {
            row += 1;
            let month = 1 + case % 12;
            let day = 1 + case % 28;
            let date = format!("{month:02}/{day:02}/2022");
            let (lat_text, lon_text) = match row % 97 {
                0 => {
                    missing_rows.push(row);
                    (String::new(), String::new())
                }
                13 => {
                    missing_rows.push(row);
                    ("NA".to_string(), "NA".to_string())
                }
                _ => {
                    incidents.push((case, lat, lon));
                    (format!("{lat:.6}"), format!(" {lon:.6}"))
                }
            };
            shootings_csv.push_str(&format!(
                "P{case:05},{date},{}:{:02},{},{lat_text},{lon_text}\r\n",
                case % 24,
                case % 60,
                if case % 17 == 0 {
                    "Unk".to_string()
                } else {
                    (case % 60).to_string()
                }
            ));
        }
    }
    let schools_path = write(dir.path(), "schools.csv", &schools_csv);
    let shootings_path = write(dir.path(), "shootings.csv", &shootings_csv);

    let json = inspect(&schools_path, &[]);
    let source = &json["source"];
    assert_eq!(source["points"], "columns Y, X");
    assert_eq!(source["csv_dialect"]["byte_order_mark"], true);
    assert_eq!(source["columns_used"]["id"], "SCHOOL_CODE");
    assert_eq!(json["name_column"], "SCHOOL NAME");
    assert_eq!(json["rows"]["loaded"].as_u64(), Some(40));

    let json = inspect(&shootings_path, &[]);
    let source = &json["source"];
    assert_eq!(source["csv_dialect"]["line_endings"], "CRLF");
    assert_eq!(json["dates"]["column"], "DATE_OCCURRED");
    assert_eq!(json["dates"]["time_column"], "TIME_OCCURRED");
    assert!(
        json["dates"]["first"]
            .as_str()
            .unwrap()
            .starts_with("2022-01-01T00:00")
    );
    assert_eq!(json["incident_key"]["column"], "CASE_NO");

    let out = dir.path().join("report.geojson");
    let output = common::run_ok(&[
        "report",
        "--schools",
        arg(&schools_path),
        "--incidents",
        arg(&shootings_path),
        "--radius",
        "500ft",
        "-o",
        arg(&out),
    ]);
    let stderr = common::stderr(&output);
    let report = common::read_json(&out);
    let skipped = &report["summary"]["incidents"];
    assert_eq!(skipped["rows"].as_u64(), Some(row as u64));
    assert_eq!(skipped["skipped"].as_u64(), Some(missing_rows.len() as u64));
    let missing = &skipped["skipped_by_reason"]["missing coordinate"];
    assert_eq!(missing["count"].as_u64(), Some(missing_rows.len() as u64));
    let first: Vec<u64> = missing["first_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let expected_first: Vec<u64> = missing_rows
        .iter()
        .take(first.len())
        .map(|&r| r as u64)
        .collect();
    assert_eq!(first, expected_first);
    assert!(
        stderr.contains(&format!(
            "skipped {} rows: missing coordinate",
            missing_rows.len()
        )),
        "{stderr}"
    );

    // Brute force over the points as generated (at the precision written).
    let rounded = |v: f64| format!("{v:.6}").parse::<f64>().unwrap();
    let school_rows: Vec<Row> = schools
        .iter()
        .enumerate()
        .map(|(i, &(lat, lon))| Row {
            row: i + 1,
            id: format!("S{i:03}"),
            lat: rounded(lat),
            lon: rounded(lon),
            extra: vec![],
        })
        .collect();
    let incident_rows: Vec<Row> = incidents
        .iter()
        .enumerate()
        .map(|(i, &(case, lat, lon))| Row {
            row: i + 1,
            id: format!("P{case:05}"),
            lat: rounded(lat),
            lon: rounded(lon),
            extra: vec![],
        })
        .collect();
    let truth = Truth::compute(&school_rows, &incident_rows, 152.4);
    let features = report["features"].as_array().unwrap();
    assert_eq!(features.len(), 40);
    for (i, feature) in features.iter().enumerate() {
        let properties = &feature["properties"];
        assert_eq!(properties["SCHOOL_CODE"], school_rows[i].id.as_str());
        assert!(properties["ADDRESS"].as_str().unwrap().contains('\n'));
        let hits = &truth.within[i];
        let cases: HashSet<&str> = hits.iter().map(|&j| incident_rows[j].id.as_str()).collect();
        assert_eq!(
            properties["victims_within"].as_u64(),
            Some(hits.len() as u64)
        );
        assert_eq!(
            properties["incidents_within"].as_u64(),
            Some(cases.len() as u64)
        );
    }
    assert!(truth.distinct_within() > 0);
}

/// The same small table in every dialect: the same rows and points.
#[test]
fn csv_dialects_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        ["1", "Ada \"The\" School", "41.88", "-87.63"],
        ["2", "Line\nBreak", "41.89", "-87.64"],
        ["3", "Semi;colon, comma|pipe", "None", ""],
        ["4", "Four", "41.90", "-87.65"],
    ];
    let header = ["id", "name", "lat", "lon"];
    let quote = |cell: &str| format!("\"{}\"", cell.replace('"', "\"\""));
    let table = |delimiter: &str, ending: &str| {
        let mut text = header.join(delimiter) + ending;
        for row in &rows {
            let cells: Vec<String> = row.iter().map(|c| quote(c)).collect();
            text.push_str(&cells.join(delimiter));
            text.push_str(ending);
        }
        text
    };
    let cases = [
        ("comma.csv", table(",", "\n"), ",", "LF"),
        ("semicolon.csv", table(";", "\r\n"), ";", "CRLF"),
        ("tab.tsv", table("\t", "\r"), "\t", "CR"),
        ("pipe.txt", table("|", "\n"), "|", "LF"),
    ];
    for (name, text, delimiter, endings) in cases {
        let path = write(dir.path(), name, text.trim_end());
        let json = inspect(&path, &[]);
        let dialect = &json["source"]["csv_dialect"];
        assert_eq!(dialect["delimiter"], delimiter, "{name}");
        assert_eq!(dialect["line_endings"], endings, "{name}");
        assert_eq!(json["rows"]["rows"].as_u64(), Some(4), "{name}");
        assert_eq!(json["rows"]["loaded"].as_u64(), Some(3), "{name}");
        let missing = &json["rows"]["skipped_by_reason"]["missing coordinate"];
        assert_eq!(missing["first_rows"][0].as_u64(), Some(3), "{name}");
        assert_eq!(
            json["source"]["extent"],
            serde_json::json!([-87.65, 41.88, -87.63, 41.9]),
            "{name}"
        );
    }

    // Invalid UTF-8 is read lossily and counted; duplicated, empty and padded headers are
    // made unique and trimmed, saying so.
    let mut bytes = b"id, lat ,lon,name,name,\n1,41.88,-87.63,Caf".to_vec();
    bytes.extend_from_slice(&[0xe9, b',', b'x', b',', b'\n']);
    bytes.extend_from_slice(b"2,41.89,-87.64,Two,y,z\n");
    let path = write(dir.path(), "latin1.csv", &bytes);
    let json = inspect(&path, &[]);
    let dialect = &json["source"]["csv_dialect"];
    assert_eq!(dialect["invalid_utf8_sequences"].as_u64(), Some(1));
    let renamed = dialect["renamed_columns"].as_array().unwrap();
    let from: Vec<&str> = renamed
        .iter()
        .map(|r| r["from"].as_str().unwrap())
        .collect();
    assert!(from.contains(&" lat "), "{renamed:?}");
    assert!(from.contains(&"name"), "{renamed:?}");
    assert!(from.contains(&""), "{renamed:?}");
    assert_eq!(json["rows"]["loaded"].as_u64(), Some(2));
    assert_eq!(json["source"]["columns_used"]["lat"], "lat");
}

fn wkb_hex(lon: f64, lat: f64, srid: Option<u32>) -> String {
    let mut bytes = vec![1u8];
    match srid {
        Some(srid) => {
            bytes.extend_from_slice(&0x2000_0001u32.to_le_bytes());
            bytes.extend_from_slice(&srid.to_le_bytes());
        }
        None => bytes.extend_from_slice(&1u32.to_le_bytes()),
    }
    bytes.extend_from_slice(&lon.to_le_bytes());
    bytes.extend_from_slice(&lat.to_le_bytes());
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Every way a point is written gives the same point; the chosen source is named, and the
/// others are compared with it.
#[test]
fn point_sources_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let points = [(41.88, -87.63), (41.89, -87.64), (41.9, -87.65)];
    let mut wkt = String::from("id,the_geom,note\n");
    let mut location = String::from("id,Location 1\n");
    let mut wkb = String::from("id,geom\n");
    for (i, (lat, lon)) in points.iter().enumerate() {
        wkt.push_str(&format!("{i},POINT ({lon} {lat}),x\n"));
        location.push_str(&format!("{i},\"1 Main St\nCHICAGO, IL\n({lat}, {lon})\"\n"));
        let srid = (i % 2 == 0).then_some(4326);
        wkb.push_str(&format!("{i},{}\n", wkb_hex(*lon, *lat, srid)));
    }
    let cases = [
        ("wkt.csv", wkt, "WKT column the_geom"),
        ("location.csv", location, "\"(lat, lon)\" column Location 1"),
        ("wkb.csv", wkb, "WKB column geom"),
    ];
    for (name, text, source) in cases {
        let path = write(dir.path(), name, text);
        let json = inspect(&path, &[]);
        assert_eq!(json["source"]["points"], source, "{name}");
        assert_eq!(json["rows"]["loaded"].as_u64(), Some(3), "{name}");
        assert_eq!(
            json["source"]["extent"],
            serde_json::json!([-87.65, 41.88, -87.63, 41.9]),
            "{name}"
        );
    }

    // Two sources that disagree: the one with more valid points wins, and the other's
    // disagreement is counted.
    let text = "id,lat,lon,Location\n\
                1,41.88,-87.63,\"(41.88, -87.63)\"\n\
                2,41.89,-87.64,\"(41.95, -87.64)\"\n\
                3,,,\"(41.90, -87.65)\"\n\
                4,,,\"(41.91, -87.66)\"\n";
    let path = write(dir.path(), "both.csv", text);
    let json = inspect(&path, &[]);
    assert_eq!(json["source"]["points"], "\"(lat, lon)\" column Location");
    let other = &json["source"]["other_point_sources"][0];
    assert_eq!(other["source"], "columns lat, lon");
    assert_eq!(other["valid_rows"].as_u64(), Some(2));
    assert_eq!(other["disagreeing_rows"].as_u64(), Some(1));
    // Named explicitly, the columns are used.
    let json = inspect(&path, &["--lat-col", "lat", "--lon-col", "lon"]);
    assert_eq!(json["source"]["points"], "columns lat, lon");
    assert_eq!(json["rows"]["loaded"].as_u64(), Some(2));

    // State-plane feet are never degrees: a file with only projected X/Y has no points.
    let path = write(
        dir.path(),
        "feet.csv",
        "id,X_COORDINATE,Y_COORDINATE\n1,990141,203200\n2,1006896,236657\n",
    );
    let stderr = run_fails(&["inspect", arg(&path)]);
    assert!(stderr.contains("feet.csv"), "{stderr}");
    assert!(stderr.contains("projected"), "{stderr}");
}

/// Latitude and longitude written the other way round are refused until the user says so.
#[test]
fn swapped_axes_are_refused_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let schools = write(
        dir.path(),
        "schools.csv",
        "id,name,lat,lon\n1,One,41.88,-87.63\n2,Two,41.90,-87.65\n",
    );
    let swapped = write(
        dir.path(),
        "incidents.csv",
        "id,lat,lon\n1,-87.6301,41.8801\n2,-87.6502,41.9002\n3,-87.7,41.7\n",
    );
    let stderr = run_fails(&[
        "report",
        "--schools",
        arg(&schools),
        "--incidents",
        arg(&swapped),
        "--radius",
        "100m",
    ]);
    assert!(
        stderr.contains("incidents.csv: columns lat, lon look swapped"),
        "{stderr}"
    );
    assert!(stderr.contains("--swap-axes"), "{stderr}");
    let out = dir.path().join("r.geojson");
    common::run_ok(&[
        "report",
        "--schools",
        arg(&schools),
        "--incidents",
        arg(&swapped),
        "--radius",
        "100m",
        "--swap-axes",
        "incidents",
        "-o",
        arg(&out),
    ]);
    let report = common::read_json(&out);
    assert_eq!(report["features"][0]["properties"]["incidents_within"], 1);
    assert_eq!(
        report["metadata"]["inputs"]["incidents"]["axes_swapped"],
        true
    );
}

/// Outliers far from the rest are listed with their rows; --outliers drop and --bbox drop
/// them, counted; --strict stops at the first skip.
#[test]
fn outliers_bbox_and_strict() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,lat,lon\n");
    for i in 0..50 {
        text.push_str(&format!(
            "{i},{},{}\n",
            41.8 + i as f64 * 0.002,
            -87.6 - i as f64 * 0.002
        ));
    }
    text.push_str("50,36.619446395,-91.686565684\n51,None,\n");
    let path = write(dir.path(), "incidents.csv", &text);
    let json = inspect(&path, &[]);
    let outliers = &json["rows"]["notes"]["outliers"];
    assert_eq!(outliers["count"].as_u64(), Some(1));
    assert_eq!(outliers["action"], "kept");
    assert_eq!(outliers["rows"][0]["row"].as_u64(), Some(51));
    assert_eq!(json["rows"]["loaded"].as_u64(), Some(51));

    let json = inspect(&path, &["--outliers", "drop"]);
    assert_eq!(json["rows"]["loaded"].as_u64(), Some(50));
    let far = json["rows"]["skipped_by_reason"].as_object().unwrap();
    assert!(far.contains_key("outlier far from the rest"), "{far:?}");
    assert!(json["source"]["extent"][1].as_f64().unwrap() > 41.0);

    let json = inspect(&path, &["--bbox", "41.6,42.1,-88,-87.5"]);
    assert_eq!(
        json["rows"]["skipped_by_reason"]["outside --bbox"]["first_rows"][0].as_u64(),
        Some(51)
    );
    let json = inspect(
        &path,
        &["--bbox", "41.6,42.1,-88,-87.5", "--outliers", "keep"],
    );
    assert_eq!(json["rows"]["loaded"].as_u64(), Some(51));

    let stderr = run_fails(&["inspect", arg(&path), "--strict"]);
    assert!(
        stderr.contains("incidents.csv: row 52: column \"lat\": missing coordinate: \"None\""),
        "{stderr}"
    );
    let stderr = run_fails(&["inspect", arg(&path), "--bbox", "10,11,10,11"]);
    assert!(stderr.contains("--bbox"), "{stderr}");
}

/// Ids that are not ids fall back, saying why; dates in every accepted form; a time zone.
#[test]
fn ids_dates_and_time_zones() {
    let dir = tempfile::tempdir().unwrap();
    let text = "REPORT_ID,OTHER_ID,occurred,lat,lon\n\
                A,10,2021-03-04,41.88,-87.63\n\
                A,11,2021/03/05,41.88,-87.63\n\
                A,12,03/06/2021 9:05 AM,41.88,-87.63\n\
                ,13,2021-03-07T01:30:00Z,41.88,-87.63\n\
                B,14,yesterday,41.88,-87.63\n";
    let path = write(dir.path(), "incidents.csv", text);
    let json = inspect(&path, &["--id-col", "OTHER_ID"]);
    assert_eq!(json["source"]["columns_used"]["id"], "OTHER_ID");
    let json = inspect(&path, &[]);
    assert_eq!(json["dates"]["column"], "occurred");
    assert_eq!(json["dates"]["first"], "2021-03-04");
    assert_eq!(
        json["rows"]["notes"]["unreadable_dates"]["count"].as_u64(),
        Some(1)
    );
    assert_eq!(
        json["rows"]["notes"]["zoned_times"]["count"].as_u64(),
        Some(1)
    );
    // Without a zone the UTC time is kept as written; with one it is converted.
    assert_eq!(json["dates"]["last"], "2021-03-07T01:30:00");
    let json = inspect(&path, &["--timezone", "America/Chicago"]);
    assert_eq!(json["dates"]["last"], "2021-03-06T19:30:00");
    let stderr = run_fails(&["inspect", arg(&path), "--timezone", "Chicago"]);
    assert!(stderr.contains("Chicago"), "{stderr}");

    let repeated = "CASE_ID,lat,lon\n1,41.88,-87.63\n1,41.89,-87.64\n1,41.9,-87.65\n";
    let path = write(dir.path(), "repeated.csv", repeated);
    let json = inspect(&path, &[]);
    assert_eq!(json["source"]["columns_used"]["id"], Value::Null);
    let note = json["source"]["id_note"].as_str().unwrap();
    assert!(note.contains("\"CASE_ID\" is not an id"), "{note}");
}

/// --where and --schools-where filter with SQL; --numeric reads messy text as numbers,
/// counting the others; mistakes are errors with hints; --rejects keeps every skipped row.
#[test]
fn where_numeric_and_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let schools = write(
        dir.path(),
        "schools.csv",
        "id,name,Grade_Cat,lat,lon\n1,One,HS,41.88,-87.63\n2,Two,ES,41.88,-87.63\n",
    );
    let incidents = write(
        dir.path(),
        "incidents.csv",
        "id,AGE,IS_FATAL,date,lat,lon\n\
         1,15,1,2021-01-01,41.8801,-87.6301\n\
         2,20s,0,2021-01-02,41.8801,-87.6301\n\
         3,Unk,1,2021-01-03,41.8801,-87.6301\n\
         4,19,0,2021-01-04,41.8801,-87.6301\n\
         5,,1,2021-01-05,41.8801,-87.6301\n\
         6,12,1,2021-01-06,None,None\n",
    );
    let base = [
        "report",
        "--schools",
        arg(&schools),
        "--incidents",
        arg(&incidents),
        "--radius",
        "100m",
    ];
    let run = |extra: &[&str]| {
        let out = dir.path().join("r.geojson");
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-o", out.to_str().unwrap()]);
        common::run_ok(&args);
        common::read_json(&out)
    };
    let report = run(&[
        "--numeric",
        "AGE",
        "--where",
        "AGE <= 19 AND IS_FATAL = 1",
        "--schools-where",
        "Grade_Cat = 'HS'",
    ]);
    let features = report["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    assert_eq!(features[0]["properties"]["incidents_within"], 1);
    let summary = &report["summary"];
    assert_eq!(summary["incidents"]["where"]["excluded"].as_u64(), Some(4));
    assert_eq!(
        summary["incidents"]["notes"]["not_numeric"]["AGE"]["count"].as_u64(),
        Some(2)
    );
    assert_eq!(summary["schools"]["where"]["excluded"].as_u64(), Some(1));
    // The parsed date-time is the column incident_time.
    let report = run(&["--where", "incident_time >= DATE '2021-01-04'"]);
    assert_eq!(report["features"][0]["properties"]["incidents_within"], 2);
    let report = run(&["--where", "EXTRACT(DAY FROM incident_time) IN (1, 5)"]);
    assert_eq!(report["features"][0]["properties"]["incidents_within"], 2);
    // A date compared with bare text gets the way to write it.
    let mut args = base.to_vec();
    args.extend_from_slice(&["--where", "incident_time >= '2021-01-04'"]);
    assert!(run_fails(&args).contains("DATE '2021-01-04'"));

    // Comparing the text column with a number is an error, with the way out.
    let mut args = base.to_vec();
    args.extend_from_slice(&["--where", "AGE <= 19"]);
    let stderr = run_fails(&args);
    assert!(
        stderr.contains("incidents.csv: --where \"AGE <= 19\""),
        "{stderr}"
    );
    assert!(stderr.contains("--numeric \"AGE\""), "{stderr}");
    // A misspelt column gets a suggestion; so does a filter that leaves nothing.
    let mut args = base.to_vec();
    args.extend_from_slice(&["--where", "AEG < 3"]);
    assert!(run_fails(&args).contains("did you mean \"AGE\""));
    let mut args = base.to_vec();
    args.extend_from_slice(&["--where", "IS_FATAL = 7"]);
    assert!(run_fails(&args).contains("no rows left"));

    // Rejected rows, unchanged, with the reason.
    let rejects = dir.path().join("rejects.csv");
    let mut args = base.to_vec();
    args.extend_from_slice(&["--rejects", rejects.to_str().unwrap(), "-o"]);
    let out = dir.path().join("r2.geojson");
    args.push(out.to_str().unwrap());
    common::run_ok(&args);
    let text = std::fs::read_to_string(&rejects).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("rejected_row,reject_reason,id,AGE,IS_FATAL,date,lat,lon")
    );
    let line = lines.next().unwrap();
    assert!(line.starts_with("6,"), "{line}");
    assert!(line.ends_with(",6,12,1,2021-01-06,None,None"), "{line}");
    assert_eq!(lines.next(), None);
}

/// A schools file given as --incidents, and the two files swapped, are caught.
#[test]
fn schools_given_as_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let schools = write(
        dir.path(),
        "schools.csv",
        "School_ID,School_Name,Grade_Cat,lat,lon\n1,One,HS,41.88,-87.63\n",
    );
    let shootings = write(
        dir.path(),
        "shootings.csv",
        "INCIDENT_KEY,OCCUR_DATE,lat,lon\n1,01/01/2020,41.88,-87.63\n",
    );
    let stderr = run_fails(&[
        "report",
        "--schools",
        arg(&shootings),
        "--incidents",
        arg(&schools),
        "--radius",
        "100m",
    ]);
    assert!(stderr.contains("look swapped"), "{stderr}");
    let copy = write(
        dir.path(),
        "list.csv",
        "School_ID,School_Name,Grade_Cat,lat,lon\n2,Two,ES,41.88,-87.63\n",
    );
    let output = common::run_ok(&[
        "report",
        "--schools",
        arg(&schools),
        "--incidents",
        arg(&copy),
        "--radius",
        "100m",
        "-o",
        arg(&dir.path().join("r.geojson")),
    ]);
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("schools file given as --incidents"),
        "{stderr}"
    );
}
