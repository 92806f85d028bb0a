//! Real public data from `../shared/data`: Chicago schools SY1718 against the Chicago
//! Tribune's 2017 shooting victims, at a tenth of a mile. Every per-school count equals a
//! brute-force geodesic count and the PostGIS `geography` reference in
//! `tests/fixtures/postgis/`, and the skipped rows are counted with their reasons.

mod common;

use common::oracle::{Truth, read_points};
use serde_json::Value;

const RADIUS_M: f64 = 160.9344;

#[test]
fn chicago_sy1718_against_tribune_2017() {
    let chicago = common::shared_data().join("chicago");
    let schools_path = chicago.join("School_Locations_SY1718.csv");
    let incidents_path = chicago.join("tribune_shooting_victims_2017.csv");
    let (report, stderr) = common::report_files(&schools_path, &incidents_path, "0.1mi", &[]);

    // Brute force, independently parsed.
    let (schools, _) = read_points(&schools_path, "Lat", "Long", Some("School_ID"), &[]);
    let (incidents, skipped_rows) = read_points(&incidents_path, "LAT", "LNG", Some("ID"), &[]);
    assert_eq!(
        (schools.len(), incidents.len(), skipped_rows.len()),
        (661, 3537, 6)
    );
    let truth = Truth::compute(&schools, &incidents, RADIUS_M);

    // The PostGIS reference.
    let reference_path =
        common::root().join("tests/fixtures/postgis/chicago_sy1718_tribune2017_0.1mi.csv");
    let mut reference = csv::Reader::from_path(reference_path).unwrap();
    let reference: Vec<csv::StringRecord> = reference.records().map(Result::unwrap).collect();

    let features = report["features"].as_array().unwrap();
    assert_eq!(features.len(), 661);
    for (i, feature) in features.iter().enumerate() {
        let properties = &feature["properties"];
        let id = properties["School_ID"].as_str().unwrap();
        assert_eq!(id, schools[i].id);
        assert_eq!(&reference[i][0], id, "reference order");
        let count = properties["incidents_within"].as_u64().unwrap();
        assert_eq!(
            count,
            truth.within[i].len() as u64,
            "school {id}: brute force"
        );
        assert_eq!(
            count,
            reference[i][1].parse::<u64>().unwrap(),
            "school {id}: PostGIS"
        );
        let nearest_m = properties["nearest_m"].as_f64().unwrap();
        let postgis_m: f64 = reference[i][2].parse().unwrap();
        assert!(
            (nearest_m - postgis_m).abs() < 0.001,
            "school {id}: nearest {nearest_m} vs PostGIS {postgis_m}"
        );
        assert!((nearest_m - truth.nearest_m[i].unwrap()).abs() < 0.001);
        let nearest_id = properties["nearest_incident_id"].as_str().unwrap();
        assert!(
            reference[i][3].split(';').any(|tied| tied == nearest_id),
            "school {id}: nearest id {nearest_id}"
        );
    }

    // The two distinct totals, against the brute force and the PostGIS summary.
    let postgis: Value = common::read_json(
        &common::root()
            .join("tests/fixtures/postgis/chicago_sy1718_tribune2017_0.1mi.summary.json"),
    );
    let summary = &report["summary"];
    assert_eq!(
        summary["distinct_incidents_within_radius"].as_u64(),
        Some(truth.distinct_within() as u64)
    );
    assert_eq!(
        summary["distinct_incidents_within_radius"],
        postgis["incidents_within_any"]
    );
    assert_eq!(
        summary["schools_with_incidents_within_radius"].as_u64(),
        Some(truth.schools_with_any() as u64)
    );
    assert_eq!(
        summary["schools_with_incidents_within_radius"],
        postgis["schools_with_any"]
    );

    // The six "None" rows are skipped and counted, with their row numbers and reason.
    let incidents_summary = &summary["incidents"];
    assert_eq!(incidents_summary["rows"].as_u64(), Some(3543));
    assert_eq!(incidents_summary["skipped"].as_u64(), Some(6));
    let missing = &incidents_summary["skipped_by_reason"]["missing coordinate"];
    assert_eq!(missing["count"].as_u64(), Some(6));
    let first_rows: Vec<usize> = missing["first_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(first_rows, skipped_rows[..5]);
    assert!(
        missing["example"]
            .as_str()
            .unwrap()
            .ends_with("column \"LAT\": missing coordinate: \"None\"")
    );
    assert!(
        stderr.contains("skipped 6 rows: missing coordinate"),
        "{stderr}"
    );
    assert_eq!(summary["schools"]["skipped"].as_u64(), Some(0));

    // Dates come from DATE, and the school's own columns are kept as written.
    assert_eq!(
        report["metadata"]["inputs"]["incidents"]["columns_used"]["date"],
        "DATE"
    );
    assert_eq!(
        report["metadata"]["inputs"]["schools"]["columns_used"]["name"],
        "Short_Name"
    );
    assert!(features.iter().any(|f| {
        f["properties"]["ALD_15"]
            .as_str()
            .is_some_and(|a| a.contains("\"Will\""))
    }));
    let years: Vec<String> = features
        .iter()
        .flat_map(|f| {
            f["properties"]["incidents_by_year"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
        })
        .collect();
    assert!(years.iter().all(|year| year == "2017"), "{years:?}");
}
