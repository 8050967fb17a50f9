//! The `actdiff` tool as a new user runs it: the tour, `list`, `show`, `diff`,
//! `expand`, and an error with a caret under the offending text.

use std::process::Command;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_actdiff"))
        .args(args)
        .output()
        .expect("the tool runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn tour_and_list_name_every_built_in() {
    let (ok, tour, _) = run(&[]);
    assert!(ok);
    assert!(
        tour.contains("f'(x)  = if x > 0 { 1 } else { 0 }"),
        "{tour}"
    );
    let (ok, list, _) = run(&["list"]);
    assert!(ok);
    assert_eq!(list.lines().count(), 30, "{list}");
    assert!(list.contains("gelu(approximate=tanh)"));
}

#[test]
fn diff_differentiates_expressions_and_parameters() {
    let (ok, out, _) = run(&["diff", "x * tanh(softplus(x))"]);
    assert!(ok);
    assert!(
        out.contains("df/dx = { let t1 = softplus(x); tanh(t1) + x * (sech2(t1) * sigmoid(x)) }"),
        "{out}"
    );
    let (ok, out, _) = run(&[
        "diff",
        "F(x; b = 1) = b * x * x",
        "--wrt",
        "b",
        "--order",
        "2",
    ]);
    assert!(ok);
    assert!(out.contains("df/db = x * x"), "{out}");
    assert!(out.contains("d^2f/db^2 = 0"), "{out}");
}

#[test]
fn show_and_expand() {
    let (ok, out, _) = run(&["show", "leaky_relu(negative_slope=0.2)"]);
    assert!(ok);
    assert!(out.contains("∂f/∂negative_slope"), "{out}");
    let (ok, out, _) = run(&["show", "Sq(x; a = 2) = a * x * x"]);
    assert!(ok);
    assert!(out.contains("f'(x)  = "), "{out}");
    let (ok, out, _) = run(&["expand", "pub Relu(x) = max(0, x);"]);
    assert!(ok);
    assert!(out.contains("pub struct Relu;"), "{out}");
    assert!(
        out.contains("fn derivative_finite(&self, x: T) -> T"),
        "{out}"
    );
}

#[test]
fn errors_show_a_caret_and_fail() {
    let (ok, _, err) = run(&["diff", "tahn(x) + 1"]);
    assert!(!ok);
    assert!(err.contains("error: unknown function `tahn`"), "{err}");
    assert!(err.contains("^^^^"), "{err}");
    assert!(err.contains("help: did you mean `tanh`?"), "{err}");
}
