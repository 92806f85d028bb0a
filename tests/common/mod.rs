//! Helpers shared by the end-to-end tests: running the binary, brute-force oracles, and an
//! RFC 7946 validator. The oracles use `csv` and `geographiclib-rs` directly, not the
//! library under test.
#![allow(dead_code)]

pub mod oracle;
pub mod rfc7946;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Once;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared real-data folder beside the project; tests that need it fail loudly without it.
pub fn shared_data() -> PathBuf {
    let path = root().join("../shared/data");
    assert!(
        path.is_dir(),
        "the real data is expected at {}",
        path.display()
    );
    path
}

/// The `proximity` binary of this build, built first if needed.
///
/// `cargo test --workspace` has built it already (the CLI crate has an integration test,
/// which makes cargo build its binary). Asking cargo again for the very same build, with the
/// same features, is a no-op then, and rebuilds a stale binary when only this package's
/// tests were run. A plain `cargo build -p proximity-cli` would not do: without the
/// workspace's dev-dependencies its features differ, and it would rebuild polars.
pub fn binary() -> PathBuf {
    static BUILD: Once = Once::new();
    let mut dir = std::env::current_exe().expect("test executable path");
    dir.pop();
    if dir.ends_with("deps") {
        dir.pop();
    }
    BUILD.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let mut build = Command::new(cargo);
        build.args(["test", "--workspace", "--no-run", "--quiet"]);
        outer_cargo_environment(&mut build, &dir);
        if dir.ends_with("release") {
            build.arg("--release");
        }
        let status = build.current_dir(root()).status().expect("cargo build");
        assert!(status.success(), "building the proximity binary failed");
    });
    dir.join(format!("proximity{}", std::env::consts::EXE_SUFFIX))
}

/// Gives `command` the environment of the `cargo test` that started this test, not the
/// one cargo made for the test: the `CARGO_*` package variables and the library path it
/// adds are read by some build scripts (`rerun-if-env-changed`), and with them set, cargo
/// would rebuild those crates and everything above them, polars included, and again
/// on the next outer run.
fn outer_cargo_environment(command: &mut Command, target: &Path) {
    const KEPT: [&str; 8] = [
        "CARGO_HOME",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_",
        "CARGO_TERM_",
        "CARGO_PROFILE_",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
    ];
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_") && !KEPT.iter().any(|kept| name.starts_with(kept)) {
            command.env_remove(&*name);
        }
    }
    let added_by_cargo = |dir: &Path| {
        dir.starts_with(target.parent().unwrap_or(target))
            || dir.to_string_lossy().contains("/rustlib/")
            || dir.ends_with("lib") && dir.to_string_lossy().contains("toolchains")
    };
    if let Some(paths) = std::env::var_os("LD_LIBRARY_PATH") {
        let outer: Vec<PathBuf> = std::env::split_paths(&paths)
            .filter(|dir| !added_by_cargo(dir))
            .collect();
        if outer.is_empty() {
            command.env_remove("LD_LIBRARY_PATH");
        } else {
            command.env("LD_LIBRARY_PATH", std::env::join_paths(outer).unwrap());
        }
    }
    command.env_remove("RUST_RECURSION_COUNT");
}

/// Runs `proximity` with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run proximity")
}

/// Runs `proximity` with `args` from the workspace root.
pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

/// Runs and expects success; returns stdout as JSON when it is the report.
pub fn run_ok(args: &[&str]) -> Output {
    let output = run(args);
    assert!(
        output.status.success(),
        "proximity {args:?} failed ({:?}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs `proximity report` on two files at `radius`, writing to a temporary file, and
/// checks the report is valid RFC 7946. Returns the report and stderr.
pub fn report_files(
    schools: &Path,
    incidents: &Path,
    radius: &str,
    extra: &[&str],
) -> (serde_json::Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.geojson");
    let mut args = vec![
        "report",
        "--schools",
        schools.to_str().unwrap(),
        "--incidents",
        incidents.to_str().unwrap(),
        "--radius",
        radius,
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = run_ok(&args);
    let report = read_json(&out);
    let errors = rfc7946::validate(&report);
    assert!(errors.is_empty(), "{errors:#?}");
    (report, stderr(&output))
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Reads a GeoJSON report.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts two JSON values are equal, showing a line diff of their pretty forms when not.
pub fn assert_json_eq(actual: &serde_json::Value, expected: &serde_json::Value) {
    if actual == expected {
        return;
    }
    let actual = serde_json::to_string_pretty(actual).unwrap();
    let expected = serde_json::to_string_pretty(expected).unwrap();
    let mut diff = String::new();
    for (i, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        if a != e {
            diff.push_str(&format!("line {}:\n- {e}\n+ {a}\n", i + 1));
            if diff.len() > 4000 {
                break;
            }
        }
    }
    panic!("JSON differs (- expected, + actual):\n{diff}");
}
