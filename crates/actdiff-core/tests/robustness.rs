//! Robustness of the engine on hostile input: no panic, no stack overflow, no hang.
//!
//! - Token soup (random identifiers, numbers, operators, brackets and keywords, often
//!   unbalanced) and random well-formed expressions go through the whole pipeline:
//!   `compile_str` and its rendered errors, and for each definition that compiles,
//!   emission, printing and the run-time programs. Each case must end in `Ok` or `Err`
//!   within a time bound. CI runs a few dozen cases; a long run sets
//!   `PROPTEST_CASES`, as in
//!   `PROPTEST_CASES=200000 nice -n 10 cargo test -p actdiff-core --test robustness`.
//! - Inputs nested 10,000 deep (brackets, prefix operators, calls, `if`, blocks) and
//!   an expression of 100,000 terms are refused with a clear error within a second,
//!   in a thread with a small stack: nothing before the limit check recurses.
//!   The deepest inputs the limits accept compile in a default 2 MB thread.
//! - The derivatives of a tower of functions stay within a small factor of its size.

use actdiff_core::compiled::{Precision, Programs};
use actdiff_core::emit::emit_all;
use actdiff_core::limits::measure;
use actdiff_core::print::to_dsl;
use actdiff_core::{compile, compile_str};
use proc_macro2::{TokenStream, TokenTree};
use proptest::prelude::*;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[path = "common/templates.rs"]
mod templates;
use templates::grow;

/// The longest one case may take, in a debug build on a loaded machine: a bound that
/// catches a hang or an exponential blow-up. Typical cases take milliseconds; the root
/// scan of `refine` takes the most, seconds for some small formulas (`exp(ln(x))`). Each property prints its slowest case so far.
const CASE_TIME: Duration = Duration::from_secs(60);

/// The slowest case so far, in microseconds.
static SLOWEST: AtomicU64 = AtomicU64::new(0);

/// Cases per property: `PROPTEST_CASES` when set, else a CI-sized default.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs every stage on `src` and returns whether it compiled. Panics (failing the
/// property) only if a stage panics.
fn pipeline(src: &str) -> bool {
    let result = compile_str(src);
    match &result {
        Ok(defs) => {
            for def in defs {
                for root in [def.forward, def.derivative, def.second_derivative] {
                    to_dsl(&def.graph, root);
                }
                Programs::new(def, Precision::Single);
                Programs::new(def, Precision::Double);
            }
            if let Ok(tokens) = TokenStream::from_str(src) {
                emit_all(&compile(tokens));
            }
        }
        Err(e) => {
            // Rendering must not panic either (byte ranges, lines, carets).
            let _ = e.to_string();
            assert!(!e.items.is_empty(), "an error without a diagnostic: {src}");
        }
    }
    result.is_ok()
}

fn timed(src: &str) -> Result<bool, TestCaseError> {
    let start = Instant::now();
    let ok = pipeline(src);
    let took = start.elapsed();
    let micros = took.as_micros() as u64;
    if SLOWEST.fetch_max(micros, Ordering::Relaxed) < micros {
        eprintln!("slowest case so far: {took:?} for {src}");
    }
    if took > CASE_TIME {
        return Err(TestCaseError::fail(format!("{took:?} for {src}")));
    }
    Ok(ok)
}

/// Tokens of every kind the lexer knows, and of the language and its neighbours.
const TOKENS: &[&str] = &[
    "x",
    "y",
    "a",
    "b",
    "F",
    "G",
    "Relu",
    "T",
    "tanh",
    "tahn",
    "exp",
    "ln",
    "log",
    "pow",
    "powi",
    "max",
    "min",
    "clamp",
    "mul_err",
    "sigmoid",
    "softplus",
    "erf",
    "sech2",
    "abs",
    "sqrt",
    "pub",
    "learn",
    "let",
    "if",
    "else",
    "match",
    "for",
    "in",
    "while",
    "loop",
    "return",
    "fn",
    "where",
    "as",
    "mut",
    "ref",
    "true",
    "false",
    "self",
    "crate",
    "super",
    "_",
    "0",
    "1",
    "2",
    "0.5",
    "-1",
    "1e39",
    "1e-50",
    "1e400",
    "1e308",
    "0x1f",
    "1_000",
    "2.5e-3",
    "7u8",
    "0.5f32",
    "4294967296",
    "-2147483648",
    "65537",
    "3.",
    "1e",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "&&",
    "||",
    "!",
    "&",
    "|",
    "=",
    "=>",
    "->",
    ";",
    ",",
    ".",
    "..",
    "..=",
    ":",
    "::",
    "?",
    "#",
    "@",
    "$",
    "~",
    "<<",
    ">>",
    "+=",
    "'a",
    "\"s\"",
    "'c'",
    "b\"x\"",
    "r#x",
    "//",
    "/*x*/",
    "///",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "#[doc = \"d\"]",
    "#[actdiff(allow_unused_learn)]",
    "#[actdiff(nope)]",
    "#[actdiff]",
    "é",
    "x₁",
];

fn token() -> impl Strategy<Value = String> {
    prop::sample::select(TOKENS).prop_map(str::to_string)
}

/// A random run of tokens, brackets unbalanced as often as not.
fn soup() -> impl Strategy<Value = String> {
    (prop::collection::vec(token(), 0..40), any::<bool>())
        .prop_map(|(tokens, spaced)| tokens.join(if spaced { " " } else { "" }))
}

/// Token soup with balanced brackets, nested up to a few levels, so that it lexes and
/// reaches the parser and the lowering more often than raw soup.
fn balanced_soup() -> impl Strategy<Value = String> {
    let flat = prop::collection::vec(
        token().prop_filter("no brackets", |t| !"()[]{}".contains(t.as_str())),
        0..8,
    )
    .prop_map(|t| t.join(" "));
    flat.prop_recursive(4, 64, 4, |inner| {
        (
            prop::collection::vec(inner, 1..4),
            prop::sample::select(&[("(", ")"), ("[", "]"), ("{", "}"), ("", "")][..]),
        )
            .prop_map(|(parts, (open, close))| format!("{open} {} {close}", parts.join(" ")))
    })
}

/// Where soup goes: alone, as a formula, as a header, between definitions.
fn placed(soup: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (soup, 0..5u8).prop_map(|(s, place)| match place {
        0 => s,
        1 => format!("F(x; a = 1, learn b = 2) = {s};"),
        2 => format!("pub {s} = x;"),
        3 => format!("F(x) = x; {s}; G(x) = -x"),
        _ => format!("#[doc = \"d\"] pub(crate) F(x; learn a = 0.5) where a > 0 = {s}"),
    })
}

/// Forms of the language with extreme and special numbers, applied to random
/// subexpressions. `#` becomes a name unique along the nesting path.
const UNARY: &[&str] = &[
    "exp({})",
    "expm1({})",
    "ln({})",
    "log1p({})",
    "sqrt({})",
    "tanh({})",
    "sech2({})",
    "sigmoid({})",
    "softplus({})",
    "erf({})",
    "erfc({})",
    "sin({})",
    "cos({})",
    "abs({})",
    "powi({}, 2)",
    "powi({}, -3)",
    "powi({}, 0)",
    "powi({}, 65536)",
    "pow({}, 0.5)",
    "-{}",
    "clamp({}, -1, 1)",
    "({})",
    "{ {} }",
    "tanh(softplus({}))",
    "sech2(softplus({}))",
    "ln(1 + exp({}))",
    "exp({}) - 1",
    "1 / (1 + exp(-{}))",
    "1 - tanh({}) * tanh({})",
];

const BINARY: &[&str] = &[
    "{} + {}",
    "{} - {}",
    "{} * {}",
    "{} / {}",
    "max({}, {})",
    "min({}, {})",
    "pow({}, {})",
    "if {} > {} { {} } else { {} }",
    "if {} <= 0 && {} >= 0 || {} < 1 { {} } else { {} }",
    "if {} > 0 { {} } else if {} < 0 { {} } else { 0 }",
    "{ let u# = {}; u# * {} + u# }",
    "clamp({}, {}, {})",
    "{} * (({} > 0) * 1)",
];

fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => Just("x".to_string()),
        1 => Just("a".to_string()),
        1 => Just("b".to_string()),
        1 => prop::sample::select(&["0", "-0.0", "1", "1e-300", "1e300", "3.4e38", "1e-45", "0.5"][..])
            .prop_map(str::to_string),
        1 => (-3.0f64..3.0).prop_map(|c| format!("{c:.4}")),
    ];
    grow(leaf.boxed(), UNARY, BINARY, 5, 48)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(200),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn token_soup_never_panics(src in placed(soup())) {
        timed(&src)?;
    }

    #[test]
    fn balanced_token_soup_never_panics(src in placed(balanced_soup())) {
        timed(&src)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn well_formed_expressions_compile_or_fail_cleanly(
        body in expression(),
        header in prop::sample::select(&[
            "F(x; a = 0.5, b = 2) = {}",
            "F(x; a = 0.5, learn b = 2) = {}",
            "#[actdiff(allow_unused_learn)] F(x; learn a = 0.5, b = -1) = {}",
            // Without parameters, `refine` scans for roots: the slowest pass.
            "F(x) = { let a = 0.75; let b = tanh(x); {} }",
            "F(x) = { let a = 0.75; let b = tanh(x); {} }",
        ][..]),
    ) {
        timed(&format!("{};", header.replace("{}", &body)))?;
    }
}

/// Runs `f` in a thread with `stack` bytes of stack: an overflow aborts the test
/// binary, which fails the test run.
fn with_stack<R: Send + 'static>(stack: usize, f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(f)
        .expect("spawns")
        .join()
        .expect("no panic")
}

/// Inputs 10,000 deep in every way the language nests, and one of 100,000 terms.
fn hostile_inputs() -> Vec<(&'static str, String)> {
    const N: usize = 10_000;
    let mut sum = String::from("F(x) = x");
    for k in 0..100_000 {
        sum.push_str(&format!(" + {k} * x"));
    }
    sum.push(';');
    vec![
        (
            "parentheses",
            format!("F(x) = {}x{};", "(".repeat(N), ")".repeat(N)),
        ),
        (
            "brackets",
            format!("F(x) = {}x{};", "[".repeat(N), "]".repeat(N)),
        ),
        ("negations", format!("F(x) = {}x;", "-".repeat(N))),
        (
            "nots",
            format!("F(x) = if {}x > 0 {{ x }} else {{ 0 }};", "!".repeat(N)),
        ),
        ("references", format!("F(x) = {}x;", "&".repeat(N))),
        ("dereferences", format!("F(x) = {}x;", "* ".repeat(N))),
        (
            "calls",
            format!("F(x) = {}x{};", "tanh(".repeat(N), ")".repeat(N)),
        ),
        (
            "blocks",
            format!("F(x) = {}x{};", "{ ".repeat(N), " }".repeat(N)),
        ),
        (
            "nested ifs",
            format!(
                "F(x) = {}x{};",
                "if x > 0 { ".repeat(N),
                " } else { 0 }".repeat(N)
            ),
        ),
        (
            "else-if chain",
            format!("F(x) = {} {{ x }};", "if x > 0 { x } else ".repeat(N)),
        ),
        (
            "lets",
            format!("F(x) = {}x{};", "{ let t = x; ".repeat(N), " }".repeat(N)),
        ),
        ("assignments", format!("F(x) = {}x;", "x = ".repeat(N))),
        (
            "deep header",
            format!("#[doc = {}1{}] F(x) = x;", "(".repeat(N), ")".repeat(N)),
        ),
        ("long sum", sum),
    ]
}

#[test]
fn hostile_inputs_are_refused_quickly_without_recursion() {
    for (what, src) in hostile_inputs() {
        // 256 KB of stack: the limit check and the header parse before it are shallow.
        let (lexing, took, err) = with_stack(256 << 10, move || {
            let start = Instant::now();
            let tokens = TokenStream::from_str(&src).expect("lexes");
            let lexing = start.elapsed();
            // The engine's part; lexing text is proc-macro2's (the compiler's, in a macro).
            let start = Instant::now();
            let outcomes = compile(tokens);
            let took = start.elapsed();
            let err = match &outcomes[0].result {
                Ok(_) => None,
                Err(errors) => Some(errors[0].to_string()),
            };
            (lexing, took, err)
        });
        let err = err.unwrap_or_else(|| panic!("{what}: compiled"));
        assert!(
            err.starts_with("definition nested too deeply")
                || err.starts_with("expression too long")
                || err.starts_with("definition too long"),
            "{what}: {err}"
        );
        assert!(took < Duration::from_secs(1), "{what}: {took:?}");
        let first_line = err.lines().next().unwrap_or_default();
        println!("{what}: lexed in {lexing:?}, refused in {took:?}: {first_line}");
    }
}

#[test]
fn a_refused_definition_keeps_its_header_for_the_stub() {
    let src = format!(
        "pub Deep(x; a = 1) = {}x{};",
        "(".repeat(200),
        ")".repeat(200)
    );
    let outcomes = compile(TokenStream::from_str(&src).expect("lexes"));
    assert_eq!(outcomes.len(), 1);
    let header = outcomes[0].header.as_ref().expect("the header parsed");
    assert_eq!(header.name, "Deep");
    let errors = outcomes[0].result.as_ref().expect_err("refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    // The next definition is compiled as usual.
    let two = format!("{src} Next(x) = tanh(x);");
    let outcomes = compile(TokenStream::from_str(&two).expect("lexes"));
    assert!(outcomes[1].result.is_ok());
}

/// The deepest input of one shape that the limits accept, by bisection on the depth.
fn deepest_accepted(shape: impl Fn(usize) -> String) -> String {
    let accepted = |d: usize| {
        let tokens: Vec<TokenTree> = TokenStream::from_str(&shape(d))
            .expect("lexes")
            .into_iter()
            .collect();
        measure(&tokens).is_ok()
    };
    let (mut lo, mut hi) = (1, 2_000);
    assert!(accepted(lo) && !accepted(hi));
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if accepted(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    shape(lo)
}

#[test]
fn the_deepest_accepted_inputs_fit_a_default_thread_stack() {
    type Shape = fn(usize) -> String;
    let shapes: [(&str, Shape); 9] = [
        ("parentheses", |d| {
            format!("F(x; a = 1) = {}x{};", "(".repeat(d), ")".repeat(d))
        }),
        ("negations", |d| {
            format!("F(x; a = 1) = {}x;", "- ".repeat(d))
        }),
        ("calls", |d| {
            format!("F(x; a = 1) = {}x{};", "abs(".repeat(d), ")".repeat(d))
        }),
        ("blocks", |d| {
            format!("F(x; a = 1) = {}x{};", "{ ".repeat(d), " }".repeat(d))
        }),
        ("nested ifs", |d| {
            format!(
                "F(x; a = 1) = {}x{};",
                "if x > a { ".repeat(d),
                " } else { 0 }".repeat(d)
            )
        }),
        ("else-if chain", |d| {
            format!(
                "F(x; a = 1) = {} {{ x }};",
                "if x > a { x } else ".repeat(d)
            )
        }),
        ("sum", |d| format!("F(x; a = 1) = x{};", " + x".repeat(d))),
        ("product", |d| {
            format!("F(x; a = 1) = x{};", " * x".repeat(d))
        }),
        ("mixed", |d| {
            format!(
                "F(x; a = 1) = {}x{};",
                "-(x + x * (".repeat(d),
                "))".repeat(d)
            )
        }),
    ];
    // A parameter turns off the root scan of `refine`, which is iterative, and slow on
    // formulas this large (seconds in a debug build).
    for (what, shape) in shapes {
        let src = deepest_accepted(shape);
        // A default spawned thread's stack: what `compile_str` gets in a test or a
        // worker thread. A debug build, as here, needs the most.
        let (took, ok) = with_stack(2 << 20, move || {
            let start = Instant::now();
            let ok = pipeline(&src);
            (start.elapsed(), ok)
        });
        println!("{what}: deepest accepted input compiled={ok} in {took:?}");
    }
}

#[test]
fn derivatives_of_towers_stay_small() {
    for f in ["tanh", "sigmoid", "softplus", "exp", "sin"] {
        let src = format!("F(x) = {}x{};", format!("{f}(").repeat(50), ")".repeat(50));
        let defs = compile_str(&src).expect("compiles");
        let d = &defs[0];
        let size = |root| d.graph.reachable(&[root]).len();
        let (f0, f1, f2) = (
            size(d.forward),
            size(d.derivative),
            size(d.second_derivative),
        );
        // Each level adds a bounded number of nodes: the chain rule shares the
        // forward's nodes instead of copying them.
        assert!(f1 <= 6 * f0, "{f}: f' has {f1} nodes, f {f0}");
        assert!(f2 <= 12 * f0, "{f}: f'' has {f2} nodes, f {f0}");
        println!("{f} tower of 50: f {f0}, f' {f1}, f'' {f2} nodes");
    }
}
