//! Hostile input, generated: proptest strategies for CSV bytes, GeoJSON documents, radius
//! strings and date strings. Every loader and parser must answer with a value or an error,
//! never a panic, and what it accepts must make sense.
//!
//! The default run is short (proptest's 256 cases per property). For a long run:
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test -p proximity --release fuzz_
//! ```
//!
//! Inputs that once failed are kept in `regressions` below and run every time.

use std::path::Path;

use proptest::prelude::*;

use crate::dates::{DateParser, parse_time_of_day};
use crate::inspect::inspect;
use crate::load::{LoadOptions, load_incidents, load_schools};
use crate::units::Distance;

/// Bytes that matter to a CSV reader, and some that do not, and broken UTF-8.
fn csv_byte() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::sample::select(vec![
            b",".to_vec(), b";".to_vec(), b"\t".to_vec(), b"|".to_vec(), b"\"".to_vec(),
            b"\"\"".to_vec(), b"\n".to_vec(), b"\r\n".to_vec(), b"\r".to_vec(), b" ".to_vec(),
        ]),
        4 => prop::sample::select(vec![
            b"41.88".to_vec(), b"-87.63".to_vec(), b"0".to_vec(), b"95.5".to_vec(),
            b"-181".to_vec(), b"1e308".to_vec(), b"NaN".to_vec(), b"inf".to_vec(),
            b"None".to_vec(), b"NA".to_vec(), b"POINT (-87.6 41.8)".to_vec(),
            b"POINT(".to_vec(), b"(41.8, -87.6)".to_vec(), b"(,)".to_vec(),
            b"0101000000000000000000F03F".to_vec(), b"01010000".to_vec(),
            b"2017-03-04".to_vec(), b"03/04/2017 9:05 PM".to_vec(), b"25:61".to_vec(),
            b"2017-02-30T10:00:00+25:00".to_vec(),
        ]),
        2 => prop::sample::select(vec![
            b"lat".to_vec(), b"lon".to_vec(), b"X".to_vec(), b"Y".to_vec(), b"id".to_vec(),
            b"date".to_vec(), b"time".to_vec(), b"INCIDENT_KEY".to_vec(), b"name".to_vec(),
            b"the_geom".to_vec(), b"Location".to_vec(),
        ]),
        1 => prop::sample::select(vec![
            b"\xef\xbb\xbf".to_vec(), b"\xff".to_vec(), b"\xc3".to_vec(), b"\x00".to_vec(),
            "\u{FFFD}".as_bytes().to_vec(), "é".as_bytes().to_vec(),
        ]),
        2 => prop::collection::vec(any::<u8>(), 1..4),
    ]
}

fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let body = prop::collection::vec(csv_byte(), 0..120).prop_map(|parts| parts.concat());
    // Half of them with a usable header, so that the rows are read too.
    (any::<bool>(), body).prop_map(|(with_header, body)| {
        if with_header {
            [b"id,lat,lon,date,time,name\n".to_vec(), body].concat()
        } else {
            body
        }
    })
}

/// JSON values with the shapes of GeoJSON, often wrong.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-200.0f64..200.0).prop_map(|v| json!(v)),
        Just(json!(1e308)),
        prop::sample::select(vec![
            "Point",
            "Feature",
            "FeatureCollection",
            "Polygon",
            "41.8",
            "",
            "MultiPoint",
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "type",
                        "features",
                        "geometry",
                        "coordinates",
                        "properties",
                        "id",
                        "bbox",
                        "name",
                        "date",
                    ]),
                    inner
                ),
                0..5
            )
            .prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn geojson_text() -> impl Strategy<Value = String> {
    prop_oneof![
        json_value().prop_map(|v| v.to_string()),
        prop::collection::vec(json_value(), 0..5).prop_map(|features| {
            let features: Vec<serde_json::Value> = features
                .into_iter()
                .map(|geometry| {
                    serde_json::json!({"type": "Feature", "geometry": geometry, "properties": {}})
                })
                .collect();
            serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
        }),
    ]
}

/// Loads `bytes` every way a user can: schools, incidents (strict or not, with a filter),
/// and inspect. Each gives a value or an error.
fn load_every_way(path: &Path) {
    let options = LoadOptions::default();
    let _ = load_schools(path, &options);
    let _ = load_incidents(path, &options);
    let _ = inspect(path, &options);
    let strict = LoadOptions {
        strict: true,
        keep_rejects: true,
        filter: Some("lat > 0 OR id = 'x'".to_string()),
        numeric_columns: vec!["lat".to_string()],
        ..LoadOptions::default()
    };
    if let Ok(table) = load_incidents(path, &strict) {
        // Strict: nothing was skipped.
        assert_eq!(table.skipped.total(), 0);
    }
}

proptest! {
    #[test]
    fn fuzz_csv_loaders_never_panic(bytes in csv_bytes()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.csv");
        std::fs::write(&path, &bytes).unwrap();
        load_every_way(&path);
    }

    #[test]
    fn fuzz_geojson_loaders_never_panic(text in geojson_text()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.geojson");
        std::fs::write(&path, &text).unwrap();
        load_every_way(&path);
    }

    #[test]
    fn fuzz_loaded_points_are_valid(bytes in csv_bytes()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.csv");
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(table) = load_incidents(&path, &LoadOptions::default()) {
            for incident in &table.records {
                let (lon, lat) = (incident.point.x(), incident.point.y());
                prop_assert!(lat.is_finite() && lon.is_finite());
                prop_assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
                prop_assert!(!(lat == 0.0 && lon == 0.0));
            }
            prop_assert_eq!(
                table.records.len() + table.skipped.total(),
                table.source.rows,
            );
        }
    }

    #[test]
    fn fuzz_radius_parser(text in prop_oneof![
        "\\PC{0,12}",
        "[-+ ]?[0-9]{0,4}(\\.[0-9]{0,3})?(e[-+]?[0-9]{1,3})? ?(mi|ft|yd|m|km|MI|Km|miles|feet|metres|)",
    ]) {
        if let Ok(distance) = text.parse::<Distance>() {
            prop_assert!(distance.metres().is_finite());
            prop_assert!(distance.metres() > 0.0);
        }
    }

    #[test]
    fn fuzz_date_parser(text in prop_oneof![
        "\\PC{0,24}",
        "[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}( [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?( ?[AaPp][Mm])?)?",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?",
    ]) {
        let parser = DateParser::default();
        if let Ok(Some(timestamp)) = parser.parse(&text) {
            // What is accepted prints as an ISO date that reads back the same.
            let printed = timestamp.to_string();
            prop_assert_eq!(parser.parse(&printed).unwrap(), Some(timestamp));
        }
        let _ = parser.parse_zoned(&text);
        let _ = parse_time_of_day(&text);
    }
}

/// Inputs the fuzzers once found to fail, kept as regression tests.
mod regressions {
    use super::*;

    fn check_csv(bytes: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.csv");
        std::fs::write(&path, bytes).unwrap();
        load_every_way(&path);
    }

    #[test]
    fn quotes_and_breaks() {
        check_csv(b"\"");
        check_csv(b"\"\r\r\"\n");
        check_csv(b"id,lat,lon,date,time,name\n\"1,41.88,-87.63\n");
        check_csv(b"\xef\xbb\xbf\r");
        check_csv(b"lat,lat,lon,lon\n41.8,41.9,-87.6,-87.7\n");
    }

    #[test]
    fn radius_with_a_multibyte_character() {
        // The unit split once landed inside a four-byte character.
        assert!("\u{11950}".parse::<Distance>().is_err());
        assert!("1\u{e9}m".parse::<Distance>().is_err());
        // A no-break space is whitespace, as in text pasted from a web page.
        let pasted: Distance = "0.1 mi\u{a0}".parse().unwrap();
        assert_eq!(pasted, "0.1mi".parse().unwrap());
    }
}
