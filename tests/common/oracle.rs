//! The accuracy oracle: reference tables written by `tests/oracle/gen_oracle.py` (the math
//! functions) and `tests/oracle/gen_activations.py` (the built-ins), mpmath at 60 digits, and
//! the error metric of DESIGN.md, "Accuracy".
//!
//! The metric. Error is counted in ULPs of the correctly rounded value of the type under test:
//! `|got - f(x)| / ulp(r)`, where `r` is `f(x)` rounded to nearest in that type and `ulp(r)` is
//! the spacing from `|r|` to the next larger magnitude (numpy's `spacing`, as in
//! `peers/torch_ulp.py`); for zero and subnormal `r` that is the smallest subnormal. The
//! difference is taken against the double-double reference `hi + lo`, so fractional ULPs are
//! exact: a correctly rounded result scores at most 0.5. Within
//! `|x - x0| < 1e-3 * max(1, |x0|)` of a non-trivial root `x0` listed in the table, the error
//! is `|got - f(x)| / EPSILON` of the type instead, since relative error there measures the
//! root's conditioning rather than the implementation. A NaN or infinite result where the
//! reference is finite (in that type) is an infinite error.

#![allow(dead_code)] // each test binary that includes this module uses part of it

use std::fs;

/// One point of a table: the input and the exact value `f(x) = hi + lo`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Case {
    /// The input, exactly representable in f32.
    pub x: f64,
    /// `f(x)` rounded to the nearest f64.
    pub hi: f64,
    /// `f(x) - hi` rounded to the nearest f64.
    pub lo: f64,
}

/// The reference values of one function.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file's name without `.txt`, e.g. `mish.derivative`.
    pub name: String,
    /// Non-trivial roots of the function, where the metric switches to absolute error.
    pub roots: Vec<f64>,
    /// The points, ordered by `x`.
    pub cases: Vec<Case>,
}

/// Reads `tests/oracle/data/<name>.txt`.
///
/// Panics with the file and line on any malformed input: the tables are committed data, so a
/// parse failure is a bug in the generator or a damaged checkout.
pub fn load(name: &str) -> Table {
    let path = format!(
        "{}{}.txt",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/data/"),
        name
    );
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    parse(name, &text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(name: &str, text: &str) -> Result<Table, String> {
    let mut roots = None;
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = |msg: String| format!("line {}: {msg}", i + 1);
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(list) = comment.trim_start().strip_prefix("roots:") {
                let parsed: Result<Vec<f64>, _> = list.split_whitespace().map(str::parse).collect();
                roots = Some(parsed.map_err(|e| at(format!("bad root: {e}")))?);
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [x, hi, lo] = fields[..] else {
            return Err(at(format!("expected 3 fields, found {}", fields.len())));
        };
        let bits = |s: &str| {
            u64::from_str_radix(s, 16)
                .map(f64::from_bits)
                .map_err(|e| at(format!("bad hex {s:?}: {e}")))
        };
        cases.push(Case {
            x: bits(x)?,
            hi: bits(hi)?,
            lo: bits(lo)?,
        });
    }
    let roots = roots.ok_or("no '# roots:' header line")?;
    if cases.is_empty() {
        return Err("no data lines".into());
    }
    Ok(Table {
        name: name.to_owned(),
        roots,
        cases,
    })
}

/// The directory of the activation tables written by `tests/oracle/gen_activations.py`.
const ACT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/data/act/");

/// The reference values of one built-in at one parameter set: every column (forward,
/// derivative, second_derivative, d_<param>...) at the same points.
#[derive(Clone, Debug)]
pub struct ActivationTable {
    /// The file's name, for messages.
    pub file: String,
    /// The text form `Builtin` parses, with the parameter values of this table.
    pub activation: String,
    /// The built-in without parameter values (`softplus`, `gelu(approximate=tanh)`).
    pub builtin: String,
    /// The types the values are for (`f32`, `f64`).
    pub types: Vec<String>,
    /// One table per column, all with the same points.
    pub columns: Vec<Table>,
}

/// Every table of `builtin` that holds values for the type `ty` (`"f32"` or `"f64"`).
///
/// Panics on a missing or malformed file, as [`load`].
pub fn load_activation(builtin: &str, ty: &str) -> Vec<ActivationTable> {
    let mut names: Vec<String> = fs::read_dir(ACT_DIR)
        .unwrap_or_else(|e| panic!("cannot read {ACT_DIR}: {e}"))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".txt") && !name.starts_with("special."))
        .collect();
    names.sort();
    let tables: Vec<ActivationTable> = names
        .iter()
        .map(|name| {
            let path = format!("{ACT_DIR}{name}");
            let text =
                fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
            parse_activation(name, &text).unwrap_or_else(|e| panic!("{path}: {e}"))
        })
        .filter(|t| t.builtin == builtin && t.types.iter().any(|t| t == ty))
        .collect();
    assert!(!tables.is_empty(), "no oracle table for {builtin} in {ty}");
    tables
}

fn parse_activation(file: &str, text: &str) -> Result<ActivationTable, String> {
    let mut header = std::collections::HashMap::new();
    let mut roots: Vec<(String, Vec<f64>)> = Vec::new();
    let mut rows: Vec<Vec<&str>> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = |msg: String| format!("line {}: {msg}", i + 1);
        if let Some(comment) = line.strip_prefix("# ") {
            let Some((key, value)) = comment.split_once(':') else {
                continue;
            };
            if let Some(column) = key.strip_prefix("roots ") {
                let parsed: Result<Vec<f64>, _> =
                    value.split_whitespace().map(str::parse).collect();
                roots.push((
                    column.to_owned(),
                    parsed.map_err(|e| at(format!("bad root: {e}")))?,
                ));
            } else {
                header.insert(key.to_owned(), value.trim().to_owned());
            }
            continue;
        }
        if !line.trim().is_empty() {
            rows.push(line.split_whitespace().collect());
        }
    }
    let field = |key: &str| {
        header
            .get(key)
            .cloned()
            .ok_or(format!("no '# {key}:' header line"))
    };
    let names: Vec<String> = field("columns")?
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut columns: Vec<Table> = names
        .iter()
        .map(|name| {
            let roots = roots
                .iter()
                .find(|(c, _)| c == name)
                .map(|(_, r)| r.clone())
                .ok_or(format!("no roots line for column {name}"))?;
            Ok(Table {
                name: format!("{file} {name}"),
                roots,
                cases: Vec::new(),
            })
        })
        .collect::<Result<_, String>>()?;
    for (i, row) in rows.iter().enumerate() {
        let at = |msg: String| format!("data row {}: {msg}", i + 1);
        if row.len() != 1 + 2 * names.len() {
            return Err(at(format!(
                "expected {} fields, found {}",
                1 + 2 * names.len(),
                row.len()
            )));
        }
        let x = u32::from_str_radix(row[0], 16)
            .map(|b| f32::from_bits(b) as f64)
            .map_err(|e| at(format!("bad x {:?}: {e}", row[0])))?;
        for (k, column) in columns.iter_mut().enumerate() {
            let hi = u64::from_str_radix(row[1 + 2 * k], 16)
                .map(f64::from_bits)
                .map_err(|e| at(format!("bad hi: {e}")))?;
            let lo: f64 = row[2 + 2 * k]
                .parse()
                .map_err(|e| at(format!("bad lo: {e}")))?;
            column.cases.push(Case { x, hi, lo });
        }
    }
    if rows.is_empty() {
        return Err("no data lines".into());
    }
    Ok(ActivationTable {
        file: file.to_owned(),
        activation: field("activation")?,
        builtin: field("builtin")?,
        types: field("types")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        columns,
    })
}

/// For scans that have no table of roots: `[x]` where `f` changes sign (or is 0) at
/// `x ± 1e-3·max(1, |x|)`, so that the metric counts absolute error at `x` as it does
/// beside a listed root; otherwise none.
pub fn root_beside(x: f64, f: impl Fn(f64) -> f64) -> Vec<f64> {
    let d = 1e-3 * x.abs().max(1.0);
    let (left, right) = (f(x - d), f(x + d));
    if (left < 0.0) != (right < 0.0) || left == 0.0 || right == 0.0 {
        vec![x]
    } else {
        Vec::new()
    }
}

/// The error of an f32 result `got` at `x` against the f64 function `f64_at`, by this
/// metric (relative, or absolute beside a sign change of `f64_at`), or `None` where
/// f64's value is no f32 reference: not finite, beyond `f32::MAX`, or nonzero below
/// f32's smallest normal. The look for a sign change costs two evaluations, taken only
/// where the relative error is above `look_for_root_above` (0: everywhere).
pub fn f32_error_against_f64(
    got: f32,
    x: f32,
    f64_at: impl Fn(f64) -> f64,
    look_for_root_above: f64,
) -> Option<f64> {
    let want = f64_at(f64::from(x));
    if !want.is_finite()
        || want.abs() > f64::from(f32::MAX)
        || (want != 0.0 && want.abs() < f64::from(f32::MIN_POSITIVE))
    {
        return None;
    }
    let case = Case {
        x: f64::from(x),
        hi: want,
        lo: 0.0,
    };
    let err = ulp_error_f32(got, &case, &[]);
    Some(if err > look_for_root_above {
        ulp_error_f32(got, &case, &root_beside(case.x, f64_at))
    } else {
        err
    })
}

/// Whether `x` lies in the absolute-error window of one of `roots`.
pub fn near_root(x: f64, roots: &[f64]) -> bool {
    roots
        .iter()
        .any(|&x0| (x - x0).abs() < 1e-3 * x0.abs().max(1.0))
}

/// `|got - (hi + lo)|`, exact up to one rounding of the result: `got - hi` is exact whenever
/// `got` is within a factor of two of `hi` (Sterbenz), which holds for every error that matters.
fn abs_diff(got: f64, case: &Case) -> f64 {
    ((got - case.hi) - case.lo).abs()
}

/// The spacing from `|v|` to the next larger f64 magnitude (for `f64::MAX`, to the one below).
pub fn ulp_f64(v: f64) -> f64 {
    let a = v.abs();
    let next = f64::from_bits(a.to_bits() + 1);
    if next.is_finite() {
        next - a
    } else {
        a - f64::from_bits(a.to_bits() - 1)
    }
}

/// The spacing from `|v|` to the next larger f32 magnitude (for `f32::MAX`, to the one below).
pub fn ulp_f32(v: f32) -> f64 {
    let a = v.abs();
    let next = f32::from_bits(a.to_bits() + 1);
    if next.is_finite() {
        next as f64 - a as f64
    } else {
        a as f64 - f32::from_bits(a.to_bits() - 1) as f64
    }
}

/// The f32 adjacent to the finite `v` in the direction of `toward` (which differs from `v`).
fn f32_step(v: f32, toward: f64) -> f32 {
    let up = toward > v as f64;
    let bits = v.to_bits();
    if v == 0.0 {
        let tiny = f32::from_bits(1);
        return if up { tiny } else { -tiny };
    }
    // Away from zero increments the magnitude bits, toward zero decrements them.
    if up == (v > 0.0) {
        f32::from_bits(bits + 1)
    } else {
        f32::from_bits(bits - 1)
    }
}

/// `hi + lo` rounded to the nearest f32, ties to even, without double rounding: `hi as f32`
/// is wrong exactly when `hi` sits on a midpoint between two f32s and `lo` breaks the tie.
pub fn round_to_f32(hi: f64, lo: f64) -> f32 {
    let r = hi as f32;
    if r.is_infinite() {
        // `hi` is at or beyond the overflow threshold MAX + ulp(MAX) / 2, which rounds to
        // infinity on a tie; only a `lo` pulling back below the threshold gives MAX.
        let threshold = f32::MAX as f64 + ulp_f32(f32::MAX) / 2.0;
        return if hi.abs() == threshold && lo != 0.0 && (lo > 0.0) != (hi > 0.0) {
            f32::MAX.copysign(r)
        } else {
            r
        };
    }
    let rd = r as f64;
    if rd == hi || lo == 0.0 {
        return r;
    }
    let other = f32_step(r, hi);
    let od = other as f64;
    // Both differences are exact: the operands are adjacent f32s and a point between them.
    if (hi - rd).abs() == (od - hi).abs() && (lo > 0.0) == (od > rd) {
        other
    } else {
        r
    }
}

/// Error of an f64 result, in ULPs of the correctly rounded f64 (absolute error in units of
/// `f64::EPSILON` near a root).
pub fn ulp_error_f64(got: f64, case: &Case, roots: &[f64]) -> f64 {
    if !got.is_finite() {
        return if got == case.hi { 0.0 } else { f64::INFINITY };
    }
    if got == case.hi && case.lo == 0.0 {
        return 0.0;
    }
    let diff = abs_diff(got, case);
    // `hi` is the correctly rounded f64 by construction.
    let ulps = diff / ulp_f64(case.hi);
    if near_root(case.x, roots) {
        // The absolute error counts where the relative one would blow up; it does not
        // replace a result that is within the target in ULPs. The zone is 1e-3·|x0|
        // wide, so a steep function reaches large values in it (snake's gradient is 17
        // at 0.09 from its root at 95.8), where 8 EPSILON is half an ULP or less and
        // even the correctly rounded value could fail.
        ulps.min(diff / f64::EPSILON)
    } else {
        ulps
    }
}

/// Error of an f32 result, in ULPs of the correctly rounded f32 (absolute error in units of
/// `f32::EPSILON` near a root).
pub fn ulp_error_f32(got: f32, case: &Case, roots: &[f64]) -> f64 {
    let want = round_to_f32(case.hi, case.lo);
    if !got.is_finite() {
        return if got == want { 0.0 } else { f64::INFINITY };
    }
    let got = got as f64;
    if got == case.hi && case.lo == 0.0 {
        return 0.0;
    }
    let diff = abs_diff(got, case);
    // An overflowing reference is measured against the largest finite spacing.
    let ulps = diff / ulp_f32(if want.is_finite() { want } else { f32::MAX });
    if near_root(case.x, roots) {
        // The smaller of the two, as in `ulp_error_f64`.
        ulps.min(diff / f32::EPSILON as f64)
    } else {
        ulps
    }
}

#[cfg(test)]
mod metric_tests {
    use super::*;

    fn exact(x: f64, v: f64) -> Case {
        Case { x, hi: v, lo: 0.0 }
    }

    fn next_up(v: f64) -> f64 {
        f64::from_bits(v.to_bits() + 1)
    }

    const TWO_M53: f64 = 1.0 / 9007199254740992.0; // 2^-53

    #[test]
    fn equal_values_score_zero() {
        assert_eq!(ulp_error_f64(1.5, &exact(0.0, 1.5), &[]), 0.0);
        assert_eq!(ulp_error_f64(0.0, &exact(0.0, 0.0), &[]), 0.0);
        assert_eq!(ulp_error_f64(-0.0, &exact(0.0, 0.0), &[]), 0.0);
        assert_eq!(ulp_error_f32(0.0, &exact(0.0, 0.0), &[]), 0.0);
        assert_eq!(ulp_error_f32(1.5, &exact(0.0, 1.5), &[]), 0.0);
    }

    #[test]
    fn next_float_above_exact_value_is_one_ulp() {
        for v in [1.0f64, 3.0, 1e-300, 1e300, -7.25] {
            assert_eq!(
                ulp_error_f64(next_up(v.abs()).copysign(v), &exact(0.0, v), &[]),
                1.0
            );
        }
        let v32 = 3.0f32;
        let up = f32::from_bits(v32.to_bits() + 1);
        assert_eq!(ulp_error_f32(up, &exact(0.0, 3.0), &[]), 1.0);
    }

    #[test]
    fn near_a_root_the_smaller_of_absolute_and_relative_error_counts() {
        let roots = [95.8];
        // A zero near the root: absolute error in EPSILON, not 2^52 ULPs.
        let small = exact(95.8, 0.0);
        assert_eq!(ulp_error_f64(f64::EPSILON, &small, &roots), 1.0);
        // A large value in the zone: one ULP of 17 (16 EPSILON) is one ULP.
        let large = exact(95.75, 17.0);
        assert_eq!(ulp_error_f64(next_up(17.0), &large, &roots), 1.0);
        assert_eq!(ulp_error_f64(next_up(17.0), &large, &[]), 1.0);
        // Far from every root the relative error alone counts.
        assert!(ulp_error_f64(f64::EPSILON, &exact(0.0, 0.0), &roots) > 1e3);
        let up32 = f32::from_bits(17f32.to_bits() + 1);
        assert_eq!(ulp_error_f32(up32, &large, &roots), 1.0);
    }

    #[test]
    fn fractional_ulps_use_the_low_part() {
        // f(x) = 1 + 2^-53 is a tie: hi = 1 (even), lo = 2^-53; both neighbours are 0.5 off.
        let tie = Case {
            x: 0.0,
            hi: 1.0,
            lo: TWO_M53,
        };
        assert_eq!(ulp_error_f64(1.0, &tie, &[]), 0.5);
        assert_eq!(ulp_error_f64(next_up(1.0), &tie, &[]), 0.5);
        // f(x) = 1 + 2^-54: a quarter of an ulp above 1.
        let quarter = Case {
            x: 0.0,
            hi: 1.0,
            lo: TWO_M53 / 2.0,
        };
        assert_eq!(ulp_error_f64(1.0, &quarter, &[]), 0.25);
        assert_eq!(ulp_error_f64(next_up(1.0), &quarter, &[]), 0.75);
    }

    #[test]
    fn f32_rounding_breaks_ties_with_the_low_part() {
        // 1 + 2^-24 is the midpoint between 1 and the next f32.
        let mid = 1.0 + 2f64.powi(-24);
        let above = f32::from_bits(1f32.to_bits() + 1);
        assert_eq!(round_to_f32(mid, 0.0), 1.0);
        assert_eq!(round_to_f32(mid, 1e-30), above);
        assert_eq!(round_to_f32(mid, -1e-30), 1.0);
        assert_eq!(round_to_f32(-mid, -1e-30), -above);
        // A midpoint whose even neighbour is the upper one.
        let mid_odd = above as f64 + 2f64.powi(-24);
        let two_up = f32::from_bits(above.to_bits() + 1);
        assert_eq!(round_to_f32(mid_odd, 0.0), two_up);
        assert_eq!(round_to_f32(mid_odd, -1e-30), above);
        // Half an f32 ulp off, measured against the correctly rounded value's ulp.
        let case = Case {
            x: 0.0,
            hi: mid,
            lo: 1e-30,
        };
        let err = ulp_error_f32(1.0, &case, &[]);
        assert!((err - 0.5).abs() < 1e-12, "{err}");
    }

    #[test]
    fn zero_and_subnormal_results_use_the_smallest_subnormal() {
        let tiny64 = f64::from_bits(1);
        assert_eq!(ulp_error_f64(tiny64, &exact(0.0, 0.0), &[]), 1.0);
        let tiny32 = f32::from_bits(1);
        assert_eq!(ulp_error_f32(tiny32, &exact(0.0, 0.0), &[]), 1.0);
        let case = Case {
            x: 0.0,
            hi: 1.5 * tiny32 as f64,
            lo: 0.0,
        };
        assert_eq!(ulp_error_f32(tiny32, &case, &[]), 0.5);
        // A result far below the f32 range rounds to zero: returning zero is 0 ulp off, nearly.
        assert!(ulp_error_f32(0.0, &exact(0.0, 1e-60), &[]) < 1e-10);
    }

    #[test]
    fn near_a_root_the_error_is_absolute() {
        let roots = [-1.25];
        let case = exact(-1.2504, 1e-20);
        assert!(near_root(case.x, &roots));
        let err = ulp_error_f64(1e-20 + f64::EPSILON, &case, &roots);
        assert!((err - 1.0).abs() < 1e-12, "{err}");
        let got32 = (1e-20 + f32::EPSILON as f64) as f32;
        let err = ulp_error_f32(got32, &case, &roots);
        assert!((err - 1.0).abs() < 1e-6, "{err}");
        // Outside the window the same value is billions of ulps off.
        let far = exact(-1.26, 1e-20);
        assert!(ulp_error_f64(1e-20 + f64::EPSILON, &far, &roots) > 1e9);
        // The window scales with |x0|.
        assert!(near_root(1000.9, &[1000.0]));
        assert!(!near_root(1001.1, &[1000.0]));
    }

    #[test]
    fn nan_or_infinity_against_a_finite_reference_is_infinite() {
        let case = exact(0.0, 2.0);
        assert_eq!(ulp_error_f64(f64::NAN, &case, &[]), f64::INFINITY);
        assert_eq!(ulp_error_f64(f64::INFINITY, &case, &[]), f64::INFINITY);
        assert_eq!(ulp_error_f32(f32::NAN, &case, &[]), f64::INFINITY);
        assert_eq!(ulp_error_f32(f32::NEG_INFINITY, &case, &[]), f64::INFINITY);
        // Near f32::MAX but rounding to it: infinity is wrong.
        assert_eq!(
            ulp_error_f32(f32::INFINITY, &exact(0.0, f32::MAX as f64), &[]),
            f64::INFINITY
        );
    }

    #[test]
    fn references_beyond_f32_range_expect_infinity() {
        let case = exact(0.0, 1e39);
        assert_eq!(round_to_f32(1e39, 0.0), f32::INFINITY);
        assert_eq!(ulp_error_f32(f32::INFINITY, &case, &[]), 0.0);
        assert_eq!(ulp_error_f32(f32::NAN, &case, &[]), f64::INFINITY);
        // Just past the overflow threshold, MAX is a bit over half an ulp off.
        let threshold = f32::MAX as f64 + ulp_f32(f32::MAX) / 2.0;
        assert_eq!(round_to_f32(threshold, 0.0), f32::INFINITY);
        assert_eq!(round_to_f32(threshold, -1.0), f32::MAX);
        let err = ulp_error_f32(
            f32::MAX,
            &Case {
                x: 0.0,
                hi: threshold,
                lo: 1.0,
            },
            &[],
        );
        assert!((err - 0.5).abs() < 1e-12, "{err}");
    }

    #[test]
    fn tables_parse() {
        let table = parse("t", "# t: test\n# roots: -1.5 2\n# more\n3ff0000000000000 4000000000000000 0000000000000000\n")
            .unwrap();
        assert_eq!(table.roots, vec![-1.5, 2.0]);
        assert_eq!(
            table.cases,
            vec![Case {
                x: 1.0,
                hi: 2.0,
                lo: 0.0
            }]
        );
        assert!(parse("t", "# roots:\n1 2\n").is_err());
        assert!(parse("t", "3ff0000000000000 4000000000000000 0000000000000000\n").is_err());
    }
}
