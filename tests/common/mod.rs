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
        if dir.ends_with("release") {
            build.arg("--release");
        }
        let status = build.current_dir(root()).status().expect("cargo build");
        assert!(status.success(), "building the proximity binary failed");
    });
    dir.join(format!("proximity{}", std::env::consts::EXE_SUFFIX))
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
