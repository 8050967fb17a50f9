//! What a subcommand works on: a built-in by PyTorch's name (`leaky_relu(negative_slope=0.2)`)
//! or a definition given as text (`"Swish(x; beta = 1) = x * sigmoid(beta * x)"`, or just
//! an expression of `x`), with its `f32` and `f64` implementations and the engine's graph,
//! which locates the branch points.

use actdiff::{Activation, ActivationInfo, Builtin, Dynamic, ParseBuiltinError};
use actdiff_core::eval::branch_pattern;
use actdiff_core::{compile_str, Definition};
use std::str::FromStr;

/// A definition given as text, or an expression of `x` made into one (`F(x) = ...;`).
pub fn as_definition(text: &str) -> String {
    // A definition's signature closes with `)` followed by `=` (or `where`), which
    // an expression of `x` never has at that point.
    let t = text.trim();
    let body = after_attributes(t);
    let is_definition = body.split_once(')').is_some_and(|(_, rest)| {
        let rest = rest.trim_start();
        (rest.starts_with('=') && !rest.starts_with("==")) || rest.starts_with("where")
    });
    if is_definition {
        t.trim_end_matches(';').to_string() + ";"
    } else {
        format!("F(x) = {t};")
    }
}

/// `t` after its leading doc comments, comments and attributes (`/// doc`,
/// `/* note */`, `#[actdiff(allow_unused_learn)]`), whose brackets would otherwise be
/// taken for a signature's.
fn after_attributes(mut t: &str) -> &str {
    loop {
        t = t.trim_start();
        if t.starts_with("//") {
            t = t.split_once('\n').map_or("", |(_, rest)| rest);
        } else if let Some(rest) = t.strip_prefix("/*") {
            t = rest.split_once("*/").map_or("", |(_, rest)| rest);
        } else if let Some(group) = t.strip_prefix('#').map(str::trim_start) {
            match group_end(group, '[', ']') {
                Some(end) => t = &group[end..],
                None => return t,
            }
        } else {
            return t;
        }
    }
}

/// The byte offset just past the bracket that closes the group `text` opens with
/// `open`, skipping string literals; `None` if `text` does not open one or it does
/// not close.
fn group_end(text: &str, open: char, close: char) -> Option<usize> {
    if !text.starts_with(open) {
        return None;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i + c.len_utf8());
            }
        }
    }
    None
}

/// Where the activation comes from.
#[derive(Clone)]
enum Source {
    /// A built-in: the code `activation!` generated, selected through [`Builtin`].
    Builtin(Builtin<f32>, Builtin<f64>),
    /// A definition compiled at run time (boxed: its programs are large).
    Definition(Box<Dynamic>),
}

/// A built-in or a run-time definition, ready to evaluate in `f32` and `f64`.
#[derive(Clone)]
pub struct Target {
    source: Source,
    /// The engine's compiled form of the formula, for the branch points.
    definition: Definition,
    /// The parameter values in effect, in declaration order.
    params: Vec<f64>,
}

impl Target {
    /// Resolves a built-in's name (with parameters, as `show` accepts) or a
    /// definition or expression.
    ///
    /// # Errors
    /// A mistake in a definition, rendered with a caret under the offending text.
    pub fn parse(text: &str) -> Result<Target, String> {
        let not_builtin = match Builtin::<f64>::from_str(text) {
            Ok(double) => {
                let single = Builtin::<f32>::from_str(text).map_err(|e| format!("error: {e}"))?;
                return Ok(Target::builtin(single, double));
            }
            Err(e) => e,
        };
        let source = as_definition(text);
        let dynamic = match Dynamic::parse(&source) {
            Ok(dynamic) => dynamic,
            // Text that names a built-in, or nearly (`mihs`, `celu(alpha=0)`,
            // `leaky_relu(negative_slop=0.2)`), is better told what is wrong with it
            // as a built-in than as an expression.
            Err(_) if names_builtin(&not_builtin, text) => {
                return Err(format!("error: {not_builtin}"))
            }
            // Several definitions: the library's hint (`Dynamic::parse_all`) is not for
            // a user of the tool.
            Err(e) => match Dynamic::parse_all(&source) {
                Ok(all) if all.len() > 1 => {
                    let names: Vec<String> =
                        all.iter().map(|d| format!("`{}`", d.info().name)).collect();
                    return Err(format!(
                        "error: give one definition at a time; this text has {}: {}",
                        names.len(),
                        names.join(", ")
                    ));
                }
                _ => return Err(e.to_string()),
            },
        };
        let definition = compile_str(&source)
            .map_err(|e| e.to_string())?
            .swap_remove(0);
        Ok(Target {
            params: dynamic.params().to_vec(),
            source: Source::Definition(Box::new(dynamic)),
            definition,
        })
    }

    /// Every built-in with its default parameters, in catalogue order.
    pub fn all_builtins() -> Vec<Target> {
        Builtin::<f32>::all()
            .into_iter()
            .zip(Builtin::<f64>::all())
            .map(|(single, double)| Target::builtin(single, double))
            .collect()
    }

    fn builtin(single: Builtin<f32>, double: Builtin<f64>) -> Target {
        // The generated formula text compiles back to the same graph the macro
        // built, which is all the branch points need. It declares the defaults
        // (always finite numbers); the values in effect are passed at evaluation.
        let definition = compile_str(&double.info().definition())
            .map(|mut defs| defs.swap_remove(0))
            .unwrap_or_else(|e| {
                panic!("the formula of built-in {double} does not compile back: {e}")
            });
        let params = builtin_params(&double);
        Target {
            source: Source::Builtin(single, double),
            definition,
            params,
        }
    }

    /// The `f32` implementation.
    pub fn single(&self) -> &dyn Activation<f32> {
        match &self.source {
            Source::Builtin(single, _) => single,
            Source::Definition(d) => &**d,
        }
    }

    /// The `f64` implementation.
    pub fn double(&self) -> &dyn Activation<f64> {
        match &self.source {
            Source::Builtin(_, double) => double,
            Source::Definition(d) => &**d,
        }
    }

    /// Name and formulas.
    pub fn info(&self) -> &ActivationInfo {
        self.double().info()
    }

    /// How the target prints: a built-in's canonical text
    /// (`leaky_relu(negative_slope=0.2)`), or a definition's name.
    pub fn label(&self) -> String {
        match &self.source {
            Source::Builtin(_, double) => double.to_string(),
            Source::Definition(d) => d.info().name.to_string(),
        }
    }

    /// A file name stem: the type's name in snake case (`leaky_relu`, `gelu_tanh`).
    pub fn stem(&self) -> String {
        let mut stem = String::new();
        for (k, c) in self.info().name.chars().enumerate() {
            if c.is_uppercase() && k > 0 {
                stem.push('_');
            }
            stem.extend(c.to_lowercase());
        }
        stem
    }

    /// Whether this is a built-in rather than a run-time definition.
    pub fn is_builtin(&self) -> bool {
        matches!(self.source, Source::Builtin(..))
    }

    /// The parameter values in effect, in declaration order.
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    /// The same activation with parameter `index` set to `value`, for differences in
    /// a parameter.
    ///
    /// # Errors
    /// When the value violates a constraint of a built-in (`celu(alpha=0)`).
    pub fn with_param(&self, index: usize, value: f64) -> Result<Target, String> {
        let mut params = self.params.clone();
        params[index] = value;
        match &self.source {
            // The built-in's own `set_param`, not its text parsed and compiled again:
            // `check` asks for a target per difference quotient, and compiling
            // snake's definition (its root windows) for each made `check snake` run
            // for minutes.
            Source::Builtin(single, double) => {
                let (mut single, mut double) = (*single, *double);
                let error = |e: actdiff::ParamError| format!("error: {e}");
                double.set_param(index, value).map_err(error)?;
                single.set_param(index, value as f32).map_err(error)?;
                Ok(Target {
                    source: Source::Builtin(single, double),
                    definition: self.definition.clone(),
                    params,
                })
            }
            Source::Definition(d) => {
                let dynamic = (**d)
                    .clone()
                    .with_params(&params)
                    .map_err(|e| e.to_string())?;
                Ok(Target {
                    source: Source::Definition(Box::new(dynamic)),
                    definition: self.definition.clone(),
                    params,
                })
            }
        }
    }

    /// Which branch of every comparison, `max`, `min` and `abs` of `f`, `f'` and
    /// `f''` the point `x` takes (see [`branch_pattern`]): two points with the same
    /// pattern lie in one smooth piece.
    pub fn pattern(&self, x: f64) -> Vec<bool> {
        let d = &self.definition;
        branch_pattern(
            &d.graph,
            &[d.forward, d.derivative, d.second_derivative],
            x,
            &self.params,
        )
    }

    /// The branch points in `[lo, hi]`, in order: where the pattern changes between
    /// two adjacent floats, located by bisection from a grid (kinks such as ReLU's 0,
    /// thresholds, and the switches between the forms a stable formula is written
    /// in). Each is given as the round number it is within a few ulps of (`3` for
    /// `x + 3 < 6`, which switches at `3 - 2^-51`), so that one kink is listed once.
    /// Two switches closer together than the grid's spacing (1/8 up to 100, a
    /// quarter octave beyond) count as one.
    pub fn branch_points(&self, lo: f64, hi: f64) -> Vec<f64> {
        let mut grid: Vec<f64> = (-800..=800).map(|k| f64::from(k) / 8.0).collect();
        for e in -80..=400 {
            let v = (f64::from(e) / 4.0).exp2();
            grid.extend([v, -v]);
        }
        grid.extend([lo, hi]);
        grid.retain(|&x| x >= lo && x <= hi);
        grid.sort_by(f64::total_cmp);
        grid.dedup();
        let mut found = Vec::new();
        for pair in grid.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            self.bisect(a, &self.pattern(a), b, &self.pattern(b), &mut found);
        }
        // `max(0, x)` and its derivative's `x > 0` switch on either side of 0.
        found.dedup();
        found
    }

    fn bisect(&self, a: f64, pa: &[bool], b: f64, pb: &[bool], found: &mut Vec<f64>) {
        if pa == pb {
            return;
        }
        let mid = a + (b - a) / 2.0;
        if mid == a || mid == b {
            found.push(round_number(a));
            return;
        }
        let pm = self.pattern(mid);
        self.bisect(a, pa, mid, &pm, found);
        self.bisect(mid, &pm, b, pb, found);
    }
}

/// `x` rounded to 12 significant digits when that moves it by a few ulps at most
/// (`2.999999999999999` → `3`, `5e-324` → `0`), else `x`.
fn round_number(x: f64) -> f64 {
    if x.abs() < 1e-300 {
        return 0.0;
    }
    let rounded = format!("{x:.11e}").parse::<f64>().unwrap_or(x);
    if (rounded - x).abs() <= 8.0 * f64::EPSILON * x.abs() {
        rounded
    } else {
        x
    }
}

/// Whether a failure to parse `text` as a built-in still shows that one was meant:
/// its name was known, or close to a known one; or the name parsed and its arguments
/// did not, and the text is that name and one bracket group closed at its end
/// (`hardtanh(min_val=-2, 2)`, `leaky_relu(negative_slop=0.2)`). A definition or an
/// expression that goes on after the group (`Mish(x) = x * y`,
/// `sigmoid(x) * (1 - sigmoid(x))`), or leaves it open, gets the expression's error.
fn names_builtin(e: &ParseBuiltinError, text: &str) -> bool {
    match e {
        ParseBuiltinError::UnknownName { nearest, .. } => !nearest.is_empty(),
        ParseBuiltinError::Syntax { .. } => {
            let head = text.trim().split('(').next().unwrap_or_default().trim();
            one_call(text) && Builtin::<f64>::from_str(head).is_ok()
        }
        _ => one_call(text),
    }
}

/// Whether `text` is a name and one bracket group that closes at its end.
fn one_call(text: &str) -> bool {
    let text = text.trim();
    let Some((head, _)) = text.split_once('(') else {
        return false;
    };
    let group = &text[head.len()..];
    group_end(group, '(', ')') == Some(group.len())
}

/// A built-in's parameter values: the defaults, overridden by the arguments of its
/// canonical text, which names every value that differs from its default.
fn builtin_params(b: &Builtin<f64>) -> Vec<f64> {
    let info = b.info();
    let mut values: Vec<f64> = info.params.iter().map(|p| p.default).collect();
    let text = b.to_string();
    let args = text
        .split_once('(')
        .map_or("", |(_, rest)| rest.trim_end_matches(')'));
    for arg in args.split(',') {
        if let Some((name, value)) = arg.split_once('=') {
            let index = info.params.iter().position(|p| p.name == name.trim());
            if let (Some(i), Ok(v)) = (index, value.trim().parse::<f64>()) {
                values[i] = v;
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_told_from_expressions() {
        let definition =
            |t: &str| as_definition(t) == t.trim().trim_end_matches(';').to_string() + ";";
        assert!(definition("F(x) = x"));
        assert!(definition("pub F(x; a = 1) where a > 0 = a * x;"));
        assert!(definition("F(x; a = 1)\nwhere a > 0 = a * x"));
        assert!(definition(
            "/// doc (with brackets)\n#[actdiff(allow_unused_learn)] F(x; learn a = 1) = x"
        ));
        assert!(definition("#[doc = \"] see f(x) here\"] Half(x) = x / 2"));
        assert!(definition(
            "# [doc = \"\\\" ]\"] /* a (note) */ Half(x) = x / 2"
        ));
        assert!(definition("// a comment\nHalf(x) = x / 2"));
        // Expressions of `x`, one after a doc comment that says `where`.
        assert_eq!(as_definition("max(0, x)"), "F(x) = max(0, x);");
        assert_eq!(as_definition("x == 1"), "F(x) = x == 1;");
        assert_eq!(
            as_definition("/// where it is\nx * 2"),
            "F(x) = /// where it is\nx * 2;"
        );
        // Nothing after the attributes, or a `#` that opens none: as written, for the
        // parser to report.
        for t in ["#", "#!", "#![x]", "#[", "// only a comment", "/* open"] {
            assert_eq!(as_definition(t), format!("F(x) = {t};"), "{t}");
        }
    }

    #[test]
    fn a_group_ends_at_its_own_bracket() {
        assert_eq!(group_end("(a(b)c)d", '(', ')'), Some(7));
        assert_eq!(group_end("[\"]\"]x", '[', ']'), Some(5));
        assert_eq!(group_end("[\"\\\"]\"]", '[', ']'), Some(7));
        assert_eq!(group_end("(a", '(', ')'), None);
        assert_eq!(group_end("a(b)", '(', ')'), None);
        assert!(one_call("gelu(approximate=tanh)"));
        assert!(!one_call("sigmoid(x) * (1 - sigmoid(x)"));
        assert!(!one_call("f(x) + g(x)"));
    }
}
