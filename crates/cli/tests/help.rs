//! Smoke test so that `cargo test` builds the binary for the workspace end-to-end tests.
use std::process::Command;

#[test]
fn help_shows_examples() {
    let output = Command::new(env!("CARGO_BIN_EXE_proximity"))
        .args(["report", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("--radius"), "{help}");
}
