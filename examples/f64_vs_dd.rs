//! Every built-in's f64 code against its formula evaluated in double-double: for each
//! built-in and column (forward, f', f'', every parameter derivative), the largest
//! error in f64 ULPs, and where. The reference is the engine's double-double
//! interpreter (`actdiff_core::dd::eval_dd`, about 2^-100 per operation) on the
//! built-in's own definition, so it finds where f64 rounding fails the formula, not
//! where the formula fails the mathematics (the oracle tests judge that).
//!
//! ```text
//! cargo run --release --example f64_vs_dd
//! ```
//!
//! The grid: steps of 1/64 over [-800, 800] and 20,000 magnitudes log-spaced from
//! 1e-300 to 1e300 of each sign. The metric is the accuracy tests'
//! (`tests/common/oracle.rs`), with absolute error where the reference changes sign
//! within `1e-3·max(1, |x|)`; subnormal references are
//! skipped, and so is snake beyond f64 `sin`'s documented range (|x| ≤ 2^20). A line
//! ends in `<== above target` above 4 ULP (forward) or 8 (the others).
//!
//! Below 2^-969 a double-double has no bits beyond an f64's (its low part would be
//! below the smallest normal), and the interpreter's intermediates may be subnormal
//! where the result is not: gelu's `erfc(u)` is, below x = -37.5, where this scan put
//! gelu's forward 10 ULP off and mpmath puts it within 0.5. Those references are
//! reported on a second line per column, `(tail, reference limited)`, whose
//! figures are to be checked against mpmath before they are believed.

#[path = "../tests/common/oracle.rs"]
mod oracle;

use actdiff::prelude::*;
use actdiff_core::dd::{eval_dd, Dd};
use actdiff_core::graph::NodeId;
use oracle::{root_beside, ulp_error_f64, Case};

/// 2^-969: below it a double-double's low part is subnormal (see the module docs).
const REFERENCE_LIMIT: f64 = 2.004_168_360_008_973e-292;

/// One column: its name, its node in the definition, and the f64 function.
type Column<'a> = (String, NodeId, Box<dyn Fn(f64) -> f64 + 'a>);

fn main() {
    let mut xs: Vec<f64> = (-800 * 64..=800 * 64)
        .map(|k| f64::from(k) / 64.0 + 1.0 / 1024.0)
        .collect();
    for k in 0..20_000 {
        let m = 10f64.powf(-300.0 + 600.0 * f64::from(k) / 20_000.0);
        xs.extend([m, -m]);
    }
    for a in Builtin::<f64>::all() {
        let text = format!("{};", a.info().definition());
        let def = match actdiff_core::compile_str(&text) {
            Ok(defs) => defs.into_iter().next(),
            Err(e) => {
                eprintln!("{}: {e}", a.name());
                std::process::exit(1);
            }
        };
        let Some(def) = def else { continue };
        let params: Vec<Dd> = (0..a.info().params.len())
            .map(|i| Dd::from_f64(a.param(i)))
            .collect();
        let a = &a;
        let mut columns: Vec<Column> = vec![
            ("f".into(), def.forward, Box::new(|x| a.forward(x))),
            ("f'".into(), def.derivative, Box::new(|x| a.derivative(x))),
            (
                "f''".into(),
                def.second_derivative,
                Box::new(|x| a.second_derivative(x)),
            ),
        ];
        for (i, &d) in def.param_derivatives.iter().enumerate() {
            columns.push((
                format!("∂{}", a.info().params[i].name),
                d,
                Box::new(move |x| a.param_derivative(i, x)),
            ));
        }
        for (name, root, f) in &columns {
            let order = def.graph.reachable(&[*root]);
            let reference =
                |x: f64| eval_dd(&def.graph, &order, Dd::from_f64(x), &params)[root.0 as usize];
            // The worst point, as (error, x, f64, reference), where the reference is
            // above 2^-969, and the worst below it.
            let mut worst = [(0.0f64, 0.0f64, 0.0f64, 0.0f64); 2];
            for &x in &xs {
                if a.name() == "snake" && x.abs() > 1_048_576.0 {
                    continue;
                }
                let want = reference(x);
                if !want.hi.is_finite() || (want.hi != 0.0 && want.hi.abs() < f64::MIN_POSITIVE) {
                    continue;
                }
                let got = f(x);
                let case = Case {
                    x,
                    hi: want.hi,
                    lo: want.lo,
                };
                let mut err = ulp_error_f64(got, &case, &[]);
                if err > 4.0 {
                    err = ulp_error_f64(got, &case, &root_beside(x, |x| reference(x).hi));
                }
                let tail = usize::from(want.hi.abs() < REFERENCE_LIMIT);
                if err > worst[tail].0 {
                    worst[tail] = (err, x, got, want.hi);
                }
            }
            let target = if name == "f" { 4.0 } else { 8.0 };
            for (tail, worst) in worst.iter().enumerate() {
                if tail == 1 && worst.0 == 0.0 {
                    continue;
                }
                println!(
                    "{:24} {:8} max {:10.2} ULP at x = {:e}: f64 {:e}, double-double {:e}{}{}",
                    a.name(),
                    name,
                    worst.0,
                    worst.1,
                    worst.2,
                    worst.3,
                    if tail == 1 {
                        "  (tail, reference limited)"
                    } else {
                        ""
                    },
                    if worst.0 > target {
                        "  <== above target"
                    } else {
                        ""
                    }
                );
            }
        }
    }
}
