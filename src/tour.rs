//! The tour `actdiff` gives with no arguments: each seed built-in with its formula,
//! the derivatives the engine generated from it, and their values at a few points
//! including the kink; then the whole catalogue.

use actdiff::prelude::*;

/// Points of the tour's value tables: both sides of 0, the kink itself, and the tails.
const POINTS: [f64; 8] = [
    f64::NEG_INFINITY,
    -3.0,
    -1.0,
    -0.0,
    0.0,
    0.5,
    2.0,
    f64::INFINITY,
];

/// Prints an activation's formulas and a value table at [`POINTS`].
pub fn show<A: Activation<f64> + ?Sized>(a: &A, note: &str) {
    let info = a.info();
    println!("{}  —  {note}", info.name);
    println!("  f(x)   = {}", info.formula);
    println!("  f'(x)  = {}", info.derivative);
    println!("  f''(x) = {}", info.second_derivative);
    for p in info.params.iter() {
        let learn = if p.learn { "learned, " } else { "" };
        println!(
            "  ∂f/∂{} = {}   ({learn}default {})",
            p.name, p.derivative, p.default
        );
    }
    println!(
        "  {:>8} {:>12} {:>12} {:>12}",
        "x", "f(x)", "f'(x)", "f''(x)"
    );
    for &x in &POINTS {
        println!(
            "  {:>8} {:>12.6} {:>12.6} {:>12.6}",
            format!("{x}"),
            a.forward(x),
            a.derivative(x),
            a.second_derivative(x)
        );
    }
    println!();
}

/// The tour.
pub fn run() {
    println!(
        "actdiff: activation functions written as math, derivatives generated at compile time.\n"
    );
    println!("Each built-in below is one line of `activation!` in crates/actdiff/src/builtins.rs;");
    println!("everything after its formula was derived and simplified by the engine.\n");
    show(&Relu, "derivative 0 at the kink x = 0, as PyTorch");
    show(
        &LeakyRelu::<f64>::default(),
        "derivative = negative_slope at x = 0, as PyTorch",
    );
    show(
        &Prelu::<f64>::default(),
        "alpha is learned: param_gradient_sum gives its gradient",
    );
    show(
        &Mish,
        "finite limits at ±inf where the naive formula gives NaN",
    );
    println!("The whole catalogue (`actdiff::Builtin` parses these names, PyTorch's):");
    list();
    println!();
    println!("Your own activation is one line too:");
    println!("    activation! {{ pub Swish(x; learn beta = 1) = x * sigmoid(beta * x); }}");
    println!("Then `Swish::<f32>::default().backward_slice(&x, &grad_out, &mut grad_in)` runs the generated kernel.");
}

/// One line per built-in: its catalogue name, definition and formula.
pub fn list() {
    for b in Builtin::<f64>::all() {
        let info = b.info();
        let params: Vec<String> = info
            .params
            .iter()
            .map(|p| {
                format!(
                    "{}{} = {}",
                    if p.learn { "learn " } else { "" },
                    p.name,
                    p.default
                )
            })
            .collect();
        let params = if params.is_empty() {
            String::new()
        } else {
            format!("; {}", params.join(", "))
        };
        println!(
            "  {:<24} {}({}{params}) = {}",
            b.to_string(),
            info.name,
            info.input,
            info.formula
        );
    }
}
