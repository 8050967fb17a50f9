//! The `actdiff` tool as a new user runs it: the tour, `list`, `show`, `diff`,
//! `expand`, `plot`, `check`, `bench`, and errors with a caret under the offending
//! text.

use std::path::PathBuf;
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
    // The macro's rules for the items it makes: an error with a caret and a failing
    // status, not a `compile_error!` printed as the expansion.
    let (ok, out, err) = run(&["expand", "pub relu(x) = max(0, x);"]);
    assert!(!ok, "{out}");
    assert!(err.contains("start it with an uppercase letter"), "{err}");
    assert!(err.contains("^^^^"), "{err}");
    // Doc comments and attributes before the definition: their brackets are not its
    // signature (the text was taken for an expression of `x` and refused).
    let text = "/// Kept for a signature's sake.\n#[actdiff(allow_unused_learn)] pub Lin(x; learn a = 1) = x;";
    let (ok, out, err) = run(&["expand", text]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("pub struct Lin<T = f32>"), "{out}");
    assert!(out.contains("Kept for a signature's sake."), "{out}");
    let (ok, out, err) = run(&["show", "#[doc = \"[x]\"] Half(x) = x / 2"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("f'(x)  = 0.5"), "{out}");
}

#[test]
fn errors_show_a_caret_and_fail() {
    let (ok, _, err) = run(&["diff", "tahn(x) + 1"]);
    assert!(!ok);
    assert!(err.contains("error: unknown function `tahn`"), "{err}");
    assert!(err.contains("^^^^"), "{err}");
    assert!(err.contains("help: did you mean `tanh`?"), "{err}");
}

/// A fresh path for an output file of this test run.
fn output(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn plot_writes_an_svg_with_a_legend() {
    let path = output("elu.svg");
    let (ok, _, err) = run(&["plot", "elu", "-o", path.to_str().expect("utf-8")]);
    assert!(ok, "{err}");
    let svg = std::fs::read_to_string(&path).expect("the plot was written");
    assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
    assert!(
        svg.contains("\nelu: f(x) = if x &gt; 0 { x } else { alpha * expm1(x) }\n"),
        "no caption"
    );
    for label in ["f(x)", "f&apos;(x)", "f&apos;&apos;(x)"] {
        assert!(svg.contains(&format!("\n{label}\n")), "no legend {label}");
    }
    // A definition, a range with a negative start, the parameter gradients.
    let path = output("swish.svg");
    let (ok, _, err) = run(&[
        "plot",
        "Swish(x; beta = 1.5) = x * sigmoid(beta * x)",
        "--range",
        "-6..2",
        "--params",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{err}");
    let svg = std::fs::read_to_string(&path).expect("the plot was written");
    assert!(svg.contains("∂f/∂beta"), "{svg}");
    assert!(
        svg.contains("\n-6\n") || svg.contains("\n-6.0\n"),
        "no tick at -6"
    );
}

#[test]
fn plot_writes_a_png() {
    let path = output("relu.png");
    let (ok, _, err) = run(&[
        "plot",
        "relu",
        "--order",
        "0,1",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{err}");
    let png = std::fs::read(&path).expect("the plot was written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[16..24], &[0, 0, 3, 32, 0, 0, 1, 244], "800 x 500");
}

#[test]
fn plot_and_check_show_definition_errors_with_a_caret() {
    for command in ["plot", "check"] {
        let (ok, _, err) = run(&[command, "x * tahn(x)"]);
        assert!(!ok);
        assert!(err.contains("error: unknown function `tahn`"), "{err}");
        assert!(err.contains("^^^^"), "{err}");
    }
    // Several definitions: one at a time, in the tool's words, not the library's.
    let (ok, _, err) = run(&["show", "A(x) = x; B(x) = x * x"]);
    assert!(!ok);
    assert!(
        err.contains("give one definition at a time; this text has 2: `A`, `B`"),
        "{err}"
    );
    // A misspelt built-in is told as one.
    let (ok, _, err) = run(&["check", "leaky_relu(negative_slop=0.2)"]);
    assert!(!ok);
    assert!(
        err.contains("has no parameter `negative_slop`; did you mean `negative_slope`?"),
        "{err}"
    );
    // A built-in whose arguments do not parse is told as one, not as an unknown
    // function of an expression.
    let (ok, _, err) = run(&["show", "hardtanh(min_val=-2, 2)"]);
    assert!(!ok);
    assert!(err.contains("positional argument"), "{err}");
    assert!(!err.contains("unknown function"), "{err}");
    // A definition or an expression named like a built-in gets its own error.
    let (ok, _, err) = run(&["show", "Mish(x) = x * tanh(softplus(x)) * y"]);
    assert!(!ok);
    assert!(err.contains("`y`"), "{err}");
    let (ok, _, err) = run(&["show", "sigmoid(x) * (1 - sigmoid(x)"]);
    assert!(!ok);
    assert!(err.contains("unclosed `(`"), "{err}");
    let (ok, _, err) = run(&["plot", "relu", "--range", "3..1"]);
    assert!(!ok);
    assert!(err.contains("the range 3..1 is empty"), "{err}");
    // A range whose width overflows is refused, not sampled without end.
    let (ok, _, err) = run(&["plot", "relu", "--range=-1e308..1e308"]);
    assert!(!ok);
    assert!(err.contains("is empty or not finite"), "{err}");
    // diff, as show, takes one definition.
    let (ok, _, err) = run(&["diff", "F(x) = x; G(x) = x * x"]);
    assert!(!ok);
    assert!(
        err.contains("give one definition at a time; this text has 2: `F`, `G`"),
        "{err}"
    );
}

#[test]
fn check_passes_for_mish() {
    let (ok, out, err) = run(&["check", "mish"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("f' vs difference of f"), "{out}");
    assert!(out.contains("all checks pass"), "{out}");
}

/// Built-ins with parameters, snake's among them: `check` takes a difference quotient
/// in each parameter, and compiled the built-in's definition again for each one
/// (snake's for minutes; it now sets the parameter on the built-in).
#[test]
fn check_passes_for_builtins_with_parameters() {
    for name in [
        "snake",
        "celu(alpha=0.3)",
        "softplus(beta=2, threshold=10)",
        "prelu",
    ] {
        let (ok, out, err) = run(&["check", name]);
        assert!(ok, "{name}: {out}{err}");
        assert!(out.contains("vs difference in"), "{name}: {out}");
    }
}

#[test]
fn check_fails_on_a_nan_leak() {
    // Without the built-in `tanhexp`'s linear branch, `exp` overflows and the
    // derivative's `x * sech2(exp(x)) * exp(x)` is `0 * inf`.
    let (ok, out, _) = run(&["check", "x * tanh(exp(x))"]);
    assert!(!ok, "{out}");
    assert!(out.contains("FAIL: NaN leak"), "{out}");
    let (ok, out, err) = run(&["check", "tanhexp"]);
    assert!(ok, "{out}{err}");
}

/// An oscillating formula is NaN at ±inf, where it has no limit: `check` says so
/// rather than call it a leak, and `show` prints NaN there, not the value at MAX.
#[test]
fn an_oscillating_formula_has_no_value_at_infinity() {
    let (ok, out, err) = run(&["check", "x + sin(x)"]);
    assert!(ok, "{out}{err}");
    assert_eq!(out.matches("ok (oscillates: no limit)").count(), 2, "{out}");
    let (ok, out, err) = run(&["show", "Wave(x) = sin(x)"]);
    assert!(ok, "{out}{err}");
    let inf = out
        .lines()
        .find(|l| l.trim_start().starts_with("inf "))
        .unwrap_or_else(|| panic!("no row at inf: {out}"));
    assert_eq!(inf.matches("NaN").count(), 3, "{inf}");
}

#[test]
fn check_finds_the_kinks() {
    let (ok, out, _) = run(&["check", "hardswish"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("branch points (kinks, thresholds, switches of form): -3, 3"),
        "{out}"
    );
    assert!(out.contains("branch 3 "), "{out}");
}

#[test]
fn bench_prints_the_peers_line_format() {
    let (ok, out, err) = run(&["bench", "--sizes", "8", "--filter", "mish"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("# actdiff "), "{out}");
    let lines: Vec<&str> = out.lines().skip(1).collect();
    // copy and mish's fwd, bwd and fwd+bwd, in f32 and f64.
    assert_eq!(lines.len(), 8, "{out}");
    assert!(
        lines[0].starts_with("actdiff copy(memcpy)   float32  n=2^8  "),
        "{out}"
    );
    assert!(lines.iter().all(|l| l.ends_with(" GB/s")), "{out}");
    assert!(
        lines.iter().any(|l| l.starts_with("actdiff mish.bwd ")),
        "{out}"
    );
}

/// A filter that selects nothing is an error, not a report of the copy alone.
#[test]
fn bench_refuses_a_filter_that_selects_nothing() {
    let (ok, _, err) = run(&["bench", "--sizes", "4", "--filter", "nosuchop"]);
    assert!(!ok);
    assert!(err.contains("--filter nosuchop matches no op"), "{err}");
    let (ok, _, err) = run(&["bench", "--sizes", "4", "--filter", "gelu"]);
    assert!(!ok);
    assert!(err.contains("need --catalogue"), "{err}");
    let (ok, out, err) = run(&["bench", "--sizes", "4", "--filter", "gelu", "--catalogue"]);
    assert!(ok, "{err}");
    assert!(out.contains("actdiff gelu.fwd"), "{out}");
}

#[test]
fn a_closed_pipe_ends_the_tool_quietly() {
    // The reader goes away before the tool writes its first line, as `| head` does
    // after its lines.
    let mut child = Command::new(env!("CARGO_BIN_EXE_actdiff"))
        .arg("list")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the tool runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("the tool ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{:?}: {err}", out.status);
}
