//! Golden reports: the binary's output on fixed inputs, compared as parsed JSON with the
//! files in `tests/fixtures/golden/`. To accept a deliberate change, run the tests with
//! `PROXIMITY_BLESS=1` and review the diff.

mod common;

fn check_golden(name: &str, args: &[&str]) {
    let output = common::run_ok(args);
    let actual: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the report is JSON");
    let path = common::root().join("tests/fixtures/golden").join(name);
    if std::env::var_os("PROXIMITY_BLESS").is_some() {
        std::fs::write(&path, &output.stdout).unwrap();
    }
    common::assert_json_eq(&actual, &common::read_json(&path));
}

macro_rules! golden {
    ($($test:ident: $file:literal => [$($arg:literal),* $(,)?];)*) => {$(
        #[test]
        fn $test() {
            check_golden($file, &[$($arg),*]);
        }
    )*};
}

golden! {
    sample_tenth_of_a_mile: "sample_0.1mi.geojson" => [
        "report", "--schools", "data/schools.csv", "--incidents", "data/incidents.csv",
        "--radius", "0.1mi", "--category-col", "category", "--quiet",
    ];
    sample_2021_500ft_precision_4: "sample_2021_500ft.geojson" => [
        "report", "--schools", "data/schools.csv", "--incidents", "data/incidents.csv",
        "--radius", "500ft", "--from", "2021-01-01", "--to", "2022-01-01", "--precision", "4", "--quiet",
    ];
    tiny_geojson_schools: "tiny.geojson" => [
        "report", "--schools", "tests/fixtures/tiny/schools.geojson",
        "--incidents", "tests/fixtures/tiny/incidents.csv", "--radius", "100m", "--quiet",
    ];
}
