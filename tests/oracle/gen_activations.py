"""Reference values for every built-in activation (tests/accuracy.rs, tests/special_grid.rs).

Run from the repository root with mpmath and sympy installed (sympy only differentiates;
every number comes from mpmath):

    python3 tests/oracle/gen_activations.py     # rewrites tests/oracle/data/act/*.txt
    python3 tests/oracle/gen_activations.py gelu mish    # only those tables
    python3 tests/oracle/gen_activations.py special      # only the special-value files

CI never runs this script; it reads the committed files. The output is deterministic
(about 15 minutes on one core for everything).

Precision: the verifying evaluation of gen_oracle.reference runs with 340 more digits than
the first (60), so that a term absorbed at 60 digits (1 + e^-500) cannot fake agreement;
softplus is mpmath's log1p(exp(u)) for the same reason; and beyond |x| = 1e4 each
function is replaced by its asymptote (FAR_PIECES), equal to it far beyond f64's
precision, since mpmath cannot take erfc, or tanh of exp, at f32::MAX.

The functions. Each built-in is written here from its mathematical definition (the textbook
formula with exact constants: GELU with 1/sqrt(2), its tanh form with sqrt(2/pi), SELU with
the 32-digit constants PyTorch uses), not from actdiff's stable rewrites, as a list of
pieces `(condition, expression)`: the first piece whose condition holds at x gives the value.
The conditions encode the documented convention at each kink (DESIGN.md, "Conventions";
`max`, `min` and `clamp` give derivative 0 at a tie, for the input and the parameters).
sympy differentiates each piece symbolically (f', f'', and df/dp for every parameter) and
mpmath evaluates the result with the verified precision of gen_oracle.reference.

Parameter sets: PyTorch's defaults, and for every built-in with parameters one other set.
A parameter value is used as the type under test holds it: where a default is not exact in
f32 (leaky_relu's 0.01, rrelu's 1/3) the f32 and f64 files differ (`<name>.<set>.f32.txt`,
`.f64.txt`); otherwise one file serves both types.

Files, one per (activation, parameter set[, type]):
    '# activation: <text form Builtin parses, e.g. softplus(beta=2, threshold=10)>'
    '# builtin: <the built-in, without parameter values: softplus>'
    '# types: f32 f64'          the types the file is for
    '# columns: forward derivative second_derivative d_<param> ...'
    '# roots <column>: x0 ...'  non-trivial roots of that column (absolute-error windows)
    then one line per point: x as f32 bits (8 hex digits), then per column `hi lo`,
    hi = the value rounded to nearest f64 (16 hex digits of its bits), lo = the value minus
    hi, to 3 significant digits (enough for a fractional ULP), `0` when exact.
Points: tails (log-uniform magnitudes 1e-30 to 1e30 and f32::MAX), [-20, 20] uniform, the
neighbourhood of 0 and of every kink (never the kink itself, where the derivative is a
convention: the special-value files test it), the windows around roots, and the ranges
where an exponential under- or overflows. Points whose reference overflows f64 are dropped.

The special-value files, special.f32.txt and special.f64.txt: for each activation and
parameter set, at NaN-free special inputs of that type (±inf, ±0, ±the smallest subnormal,
±MAX, ±1e30, each kink and threshold exactly, and the points where the function saturates),
the exact value of every column rounded to the type, or its limit at ±inf: the value at
±1e100 when it rounds to the same as at ±1e150, ±inf where it grows by more than 1e20
between the two; otherwise (snake's derivatives oscillate) `none`, not checked. One line each:
    '<activation text> | <x> | <column>=<value> ...'  with values as decimal text
"""

import math
import os
import random
import sys
import zlib

import mpmath as mp
import sympy as sp
from mpmath import mpf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_oracle as go  # noqa: E402

OUT = os.path.join(go.DATA, "act")
N_DEFAULT = 700  # points for the default parameters
N_OTHER = 300  # points for the other parameter set

x = sp.Symbol("x", real=True)


def sigmoid(u):
    return 1 / (1 + sp.exp(-u))


class Softplus(sp.Function):
    """ln(1 + e^u), evaluated as mpmath's log1p(exp(u)): written as sp.log(1 + sp.exp(u)),
    1 + e^u absorbs e^u for u < -2.3 dps at every precision the check tries, and the
    reference converges to a wrong value (tanh(softplus(-232)) = 0)."""

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])


def softplus(u):
    return Softplus(u)


MPMATH = [{"Softplus": lambda u: mp.log1p(mp.exp(u))}, "mpmath"]
# The verifying evaluation runs with this many more digits than the first (60): more than
# the 324 decimal orders of magnitude of f64, so that a term absorbed at 60 digits
# (1 + e^-500) is seen at the second precision and raises the precision until they agree.
EXTRA_DIGITS = 340


SQRT1_2 = 1 / sp.sqrt(2)
SELU_ALPHA = sp.Rational("1.6732632423543772848170429916717")
SELU_SCALE = sp.Rational("1.0507009873554804934193349852946")
C_TANH = sp.sqrt(2 / sp.pi)


class Act:
    """One built-in: name (the text form without parameters), parameter names with the
    default and one other set, pieces built from the parameter symbols, kinks as a function
    of the parameter values, and extra point ranges. `more` are further parameter sets:
    values that no binary format holds exactly (0.7, 0.3), where the product of a
    parameter and x rounds and the built-in must carry that rounding."""

    def __init__(self, name, params, default, other, pieces, kinks=lambda p: [],
                 ranges=(), domain=None, extra_roots=None, more=()):
        self.name = name
        self.params = params
        self.default = default
        self.other = other
        self.more = list(more)
        self.symbols = [sp.Symbol(p, real=True) for p in params]
        self.pieces = pieces(*self.symbols)
        far = FAR_PIECES.get(name)
        if far:
            # Beyond ±FAR the function and its derivatives equal the asymptote's to far
            # more digits than f64 holds (relative differences below exp(-800) for every
            # parameter set here: celu's exp(x/alpha) with alpha <= 2.5 is the slowest),
            # and mpmath cannot take erfc, or tanh of exp, at f32::MAX or f64::MAX.
            pos, neg = far(*self.symbols)
            self.pieces = [(lambda xv, p: xv > FAR, pos), (lambda xv, p: xv < -FAR, neg)] + self.pieces
        self.kinks = kinks
        self.ranges = list(ranges)
        self.domain = domain  # |x| bound for the random points (snake: sin's range)
        self.extra_roots = extra_roots  # (column, values) -> roots sign changes miss

    def param_sets(self):
        """Every parameter set written: the default, the other set, then `more`."""
        return [self.default] + ([self.other] if self.other else []) + self.more


FAR = mpf("1e4")
ZERO = sp.Integer(0)


# Asymptotes beyond ±FAR (see Act), from the parameter symbols: (x > FAR, x < -FAR).
FAR_PIECES = {
    "elu": lambda a: (x, -a),
    "celu": lambda a: (x, -a),
    "swish": lambda b: (x, ZERO),
    "softplus": lambda b, t: (x, ZERO),
    "selu": lambda: (SELU_SCALE * x, -SELU_SCALE * SELU_ALPHA),
    "gelu": lambda: (x, ZERO),
    "gelu(approximate=tanh)": lambda: (x, ZERO),
    "silu": lambda: (x, ZERO),
    "mish": lambda: (x, ZERO),
    "tanh": lambda: (sp.Integer(1), sp.Integer(-1)),
    "sigmoid": lambda: (sp.Integer(1), ZERO),
    "logsigmoid": lambda: (ZERO, x),
    "tanhshrink": lambda: (x - 1, x + 1),
    "quick_gelu": lambda: (x, ZERO),
    "tanhexp": lambda: (x, ZERO),
}


def always(xv, p):
    return True


R = [
    Act("relu", [], {}, None,
        lambda: [(lambda xv, p: xv > 0, x), (always, sp.Integer(0))],
        kinks=lambda p: [0]),
    Act("relu6", [], {}, None,
        lambda: [(lambda xv, p: 0 < xv < 6, x), (lambda xv, p: xv >= 6, sp.Integer(6)),
                 (always, sp.Integer(0))],
        kinks=lambda p: [0, 6]),
    Act("leaky_relu", ["negative_slope"], {"negative_slope": "0.01"}, {"negative_slope": "0.375"},
        lambda s: [(lambda xv, p: xv > 0, x), (always, s * x)],
        kinks=lambda p: [0]),
    Act("prelu", ["alpha"], {"alpha": "0.25"}, {"alpha": "-0.625"},
        lambda a: [(lambda xv, p: xv > 0, x), (always, a * x)],
        kinks=lambda p: [0]),
    Act("rrelu", ["lower", "upper"], {"lower": "0.125", "upper": "0.3333333333333333"},
        {"lower": "0.25", "upper": "0.5"},
        lambda lo, hi: [(lambda xv, p: xv > 0, x), (always, (lo + hi) / 2 * x)],
        kinks=lambda p: [0]),
    Act("elu", ["alpha"], {"alpha": "1"}, {"alpha": "1.5"},
        lambda a: [(lambda xv, p: xv > 0, x), (always, a * (sp.exp(x) - 1))],
        kinks=lambda p: [0], ranges=[(-120, 0, 60), (-760, -700, 30)],
        more=[{"alpha": "0.3"}]),
    Act("selu", [], {}, None,
        lambda: [(lambda xv, p: xv > 0, SELU_SCALE * x),
                 (always, SELU_SCALE * SELU_ALPHA * (sp.exp(x) - 1))],
        kinks=lambda p: [0], ranges=[(-120, 0, 60), (-760, -700, 30)]),
    Act("celu", ["alpha"], {"alpha": "1"}, {"alpha": "2.5"},
        lambda a: [(lambda xv, p: xv > 0, x), (always, a * (sp.exp(x / a) - 1))],
        kinks=lambda p: [0], ranges=[(-300, 0, 60)], more=[{"alpha": "0.3"}]),
    Act("gelu", [], {}, None,
        # x/2 (1 + erf(x/sqrt 2)), written with erfc so that mpmath keeps the left tail
        lambda: [(always, x / 2 * sp.erfc(-x * SQRT1_2))],
        # (-13.4, -12.9): f and f' near f32's smallest normal, from erfc subnormal in f32.
        # (-39.5, -38.4): f64 f'' subnormal where gauss(x/sqrt 2) alone is below half the
        # smallest subnormal (|x| > 38.6), but not its product with 2 - x².
        ranges=[(-40, -5, 80), (-39, -13, 60), (-13.4, -12.9, 30), (-39.5, -38.4, 30)]),
    Act("gelu(approximate=tanh)", [], {}, None,
        # x/2 (1 + tanh(v)) = x sigmoid(2v), the same function with no 1 + tanh to absorb
        lambda: [(always, x * sigmoid(2 * C_TANH * (x + sp.Rational("0.044715") * x ** 3)))],
        ranges=[(-25, -3, 80)]),
    Act("silu", [], {}, None, lambda: [(always, x * sigmoid(x))],
        ranges=[(-760, -80, 60), (-110, -80, 30)]),
    Act("swish", ["beta"], {"beta": "1"}, {"beta": "1.5"},
        lambda b: [(always, x * sigmoid(b * x))], ranges=[(-500, -60, 60)],
        more=[{"beta": "0.7"}]),
    Act("mish", [], {}, None, lambda: [(always, x * sp.tanh(softplus(x)))],
        # (20, 60): f'' nears f32's smallest normal there, from factors subnormal in f32.
        # (3, 8): f64 f'' was 9 to 11 ULP off there (sech2(softplus(x)) itself 6.7).
        # (354, 372): f64 f'' near f64's smallest normal, from sech2(softplus(x))
        # subnormal before its product with about 2x (21 ULP at 356.9, 345 subnormal
        # steps at 360) until the engine's rescale pass.
        ranges=[(-750, 40, 100), (-105, -80, 50), (-5, 5, 100), (20, 60, 40),
                (3, 8, 60), (354, 372, 40)]),
    Act("softplus", ["beta", "threshold"], {"beta": "1", "threshold": "20"},
        {"beta": "2", "threshold": "10"},
        lambda b, t: [(lambda xv, p: p["beta"] * xv > p["threshold"], x),
                      (always, softplus(b * x) / b)],
        kinks=lambda p: [p["threshold"] / p["beta"]], ranges=[(-750, 30, 80), (-110, -80, 30)],
        more=[{"beta": "0.7", "threshold": "20"}]),
    # abs'(0) = 0 (the tie rule) makes f''(0) = 0, the mean of the one-sided -2 and 2
    Act("softsign", [], {}, None,
        lambda: [(lambda xv, p: xv > 0, x / (1 + x)), (lambda xv, p: xv < 0, x / (1 - x)),
                 (always, x)],
        kinks=lambda p: [0]),
    Act("tanh", [], {}, None, lambda: [(always, sp.tanh(x))], ranges=[(-12, 12, 80)]),
    Act("sigmoid", [], {}, None, lambda: [(always, sigmoid(x))],
        ranges=[(-750, 40, 80), (-110, -80, 30)]),
    Act("hardtanh", ["min_val", "max_val"], {"min_val": "-1", "max_val": "1"},
        {"min_val": "-2", "max_val": "3"},
        lambda lo, hi: [(lambda xv, p: p["min_val"] < xv < p["max_val"], x),
                        (lambda xv, p: xv < p["min_val"], lo),
                        (lambda xv, p: xv > p["max_val"], hi),
                        # a tie: clamp's derivatives are all 0 there
                        (always, sp.Symbol("tie"))],
        kinks=lambda p: [p["min_val"], p["max_val"]]),
    Act("hardswish", [], {}, None,
        lambda: [(lambda xv, p: -3 < xv < 3, x * (x + 3) / 6),
                 (lambda xv, p: xv >= 3, x), (always, sp.Integer(0))],
        kinks=lambda p: [-3, 3]),
    Act("hardsigmoid", [], {}, None,
        lambda: [(lambda xv, p: -3 < xv < 3, (x + 3) / 6),
                 (lambda xv, p: xv >= 3, sp.Integer(1)), (always, sp.Integer(0))],
        kinks=lambda p: [-3, 3]),
    Act("logsigmoid", [], {}, None, lambda: [(always, sp.log(sigmoid(x)))],
        ranges=[(-40, 750, 80), (80, 110, 30)]),
    Act("tanhshrink", [], {}, None, lambda: [(always, x - sp.tanh(x))],
        ranges=[(-3, 3, 100), (-1e-3, 1e-3, 30)]),
    Act("softshrink", ["lambd"], {"lambd": "0.5"}, {"lambd": "1.5"},
        lambda l: [(lambda xv, p: xv > p["lambd"], x - l),
                   (lambda xv, p: xv < -p["lambd"], x + l), (always, sp.Integer(0))],
        kinks=lambda p: [-p["lambd"], p["lambd"]], more=[{"lambd": "0.3"}]),
    Act("hardshrink", ["lambd"], {"lambd": "0.5"}, {"lambd": "1.5"},
        lambda l: [(lambda xv, p: xv > p["lambd"] or xv < -p["lambd"], x),
                   (always, sp.Integer(0))],
        kinks=lambda p: [-p["lambd"], p["lambd"]]),
    Act("threshold", ["threshold", "value"], {"threshold": "0", "value": "0"},
        {"threshold": "1.5", "value": "-2"},
        lambda t, v: [(lambda xv, p: xv > p["threshold"], x), (always, v)],
        kinks=lambda p: [p["threshold"]]),
    Act("quick_gelu", [], {}, None, lambda: [(always, x * sigmoid(sp.Rational("1.702") * x))],
        # (25, 70): f'' nears f32's smallest normal there, from factors subnormal in f32.
        # (400, 440): f'' nears f64's smallest normal there, σ(-1.702x) subnormal before the shift.
        ranges=[(-440, -40, 60), (-65, -45, 30), (25, 70, 40), (400, 440, 30)]),
    Act("squareplus", ["b"], {"b": "4"}, {"b": "0.5"},
        lambda b: [(always, (x + sp.sqrt(x ** 2 + b)) / 2)], more=[{"b": "0.3"}]),
    Act("squared_relu", [], {}, None,
        lambda: [(lambda xv, p: xv > 0, x ** 2), (always, sp.Integer(0))],
        kinks=lambda p: [0]),
    Act("snake", ["alpha"], {"alpha": "1"}, {"alpha": "0.5"},
        lambda a: [(always, x + sp.sin(a * x) ** 2 / a)],
        # (±7.7, ±7.9): beside the roots of ∂alpha at |alpha·x| = 7.79 (once the last
        # window's edge, before xcos_halfsin; alpha = 0.3 puts roots out to |x| = 100).
        # (±1.15, ±1.18): beside the root of ∂alpha at alpha·x = ±1.1656, the first
        # of tan u = 2u, where xcos_halfsin's kernel terms are largest.
        domain=100, more=[{"alpha": "0.3"}],
        ranges=[(-7.9, -7.7, 20), (7.7, 7.9, 20), (-1.18, -1.15, 30), (1.15, 1.18, 30)],
        # f' = 1 + sin(2 alpha x) touches 0 (no sign change) at 2 alpha x = -pi/2 + 2k pi
        extra_roots=lambda col, p: (
            [(-mp.pi / 2 + 2 * k * mp.pi) / (2 * p["alpha"]) for k in range(-80, 81)]
            if col == "derivative" else [])),
    Act("tanhexp", [], {}, None, lambda: [(always, x * sp.tanh(sp.exp(x)))],
        # (2.5, 5): f'' nears f32's smallest normal there, from sech²(e^x) subnormal in f32.
        ranges=[(-110, 25, 80), (2.5, 5, 40)]),
]


def value_of(text, ty):
    """A parameter's value as the type holds it (the f32 nearest, for f32)."""
    v = float(text)
    return mpf(go.f32(v)) if ty == "f32" else mpf(v)


def spec_text(act, values):
    """The text form Builtin parses: only the non-default values are written."""
    if values is None or values == act.default:
        return act.name
    args = ", ".join(f"{k}={values[k]}" for k in act.params)
    return f"{act.name}({args})"


class Column:
    """One measured quantity of an activation at fixed parameter values: per piece, the
    lambdified derivative of the right order."""

    def __init__(self, name, exprs, subs):
        self.name = name
        self.funcs = []
        self.zero = []
        for e in exprs:
            e = e.subs(subs)
            self.zero.append(e == 0)
            self.funcs.append(sp.lambdify(x, e, modules=MPMATH))

    def __call__(self, xv, piece):
        if self.zero[piece]:
            return mpf(0)
        return mpf(self.funcs[piece](xv))


def columns(act, pvals):
    """Columns (forward, derivatives, parameter derivatives) of act at the values pvals."""
    # the exact binary value of each parameter
    subs = {s: sp.Rational(float(pvals[p])) for s, p in zip(act.symbols, act.params)}
    tie = sp.Symbol("tie")
    out = []
    pieces = [e for _, e in act.pieces]
    out.append(("forward", [e.subs(tie, x) for e in pieces]))
    # At a clamp tie every derivative is 0 (diff.rs's tie rule).
    out.append(("derivative", [sp.diff(e, x) if e != tie else sp.Integer(0) for e in pieces]))
    out.append(("second_derivative",
                [sp.diff(e, x, 2) if e != tie else sp.Integer(0) for e in pieces]))
    for s, p in zip(act.symbols, act.params):
        out.append((f"d_{p}", [sp.diff(e, s) if e != tie else sp.Integer(0) for e in pieces]))
    return [Column(name, exprs, subs) for name, exprs in out]


def piece_at(act, xv, pvals):
    for i, (cond, _) in enumerate(act.pieces):
        if cond(xv, pvals):
            return i
    raise AssertionError("no piece")


def evaluator(act, col, pvals):
    """x -> the column's value at the float x (mpf), choosing the piece at x."""
    def f(xv):
        return col(xv, piece_at(act, xv, pvals))
    return f


def roots_of(act, col, pvals, lo=-40.0, hi=40.0, step=0.01):
    """Non-trivial roots: sign changes within one piece, refined; roots at exactly
    representable points (0, -3, ...) are trivial and dropped."""
    if act.domain:
        lo, hi = -1.1 * act.domain, 1.1 * act.domain
    found = []
    n = int(round((hi - lo) / step))
    prev = None
    for i in range(n + 1):
        xv = mpf(lo) + i * mpf(step)
        k = piece_at(act, xv, pvals)
        if col.zero[k]:
            prev = None
            continue
        y = col(xv, k)
        if prev is not None and prev[2] == k and y != 0 and prev[1] != 0 and (y > 0) != (prev[1] > 0):
            try:
                r = mp.findroot(lambda t: col(t, k), (prev[0], xv), solver="anderson")
            except (ValueError, ZeroDivisionError):
                r = None
            if r is not None and prev[0] <= r <= xv:
                found.append(r)
        prev = (xv, y, k)
    if act.extra_roots:
        found += act.extra_roots(col.name, pvals)
    roots = []
    for r in found:
        near = mpf(float(r))
        if abs(r - near) <= mpf(10) ** -40 * max(1, abs(r)):
            continue  # exactly representable: trivial
        roots.append(r)
    return sorted(roots)


def draw(act, pvals, n, roots, ty_key):
    """About n distinct f32 points, sorted."""
    rng = random.Random(go.SEED ^ zlib.crc32((act.name + ty_key).encode()))
    kinks = [mpf(k) for k in act.kinks(pvals)]
    bound = act.domain or math.inf
    seen, pts = set(), []

    def add(v):
        if v is None or math.isnan(v) or math.isinf(v):
            return False
        v = go.f32(v)
        if math.isinf(v) or abs(v) > bound or any(mpf(v) == k for k in kinks):
            return False
        b = go.f32_bits(v)
        if b in seen:
            return False
        seen.add(b)
        pts.append(v)
        return True

    def fill(count, gen):
        got, tries = 0, 0
        while got < count and tries < 50 * count + 100:
            tries += 1
            got += add(gen())

    for v in (0.0, go.F32_TINY, go.F32_MIN_POSITIVE, go.F32_MAX, 1.0, 0.5, 2.0, 1e30):
        add(v)
        add(-v)
    for k in range(1, 4):
        add(go.f32_step(0.0, k))
        add(-go.f32_step(0.0, k))
    fill(n // 20, lambda: rng.choice((-1, 1)) * 10 ** rng.uniform(-45, -3))
    for k in kinks:
        kf = go.f32(float(k))
        for step in (-3, -2, -1, 1, 2, 3):
            add(go.f32_step(kf, step))
        w = 1e-3 * max(1.0, abs(kf))
        fill(n // 40, lambda: kf + rng.uniform(-w, w))
    per_root = max(6, (n // 5) // max(1, len(roots)))
    chosen = roots if len(roots) * per_root <= n // 3 else rng.sample(roots, (n // 3) // per_root)
    for x0 in chosen:
        near = go.f32(float(x0))
        for k in range(-2, 3):
            add(go.f32_step(near, k))
        w = 1e-3 * max(1.0, abs(float(x0)))
        fill(per_root // 2, lambda: float(x0) + rng.uniform(-w, w))
        fill(per_root // 4, lambda: float(x0) + rng.choice((-1, 1)) * rng.uniform(w, 10 * w))
    scale = n / N_DEFAULT
    for lo, hi, count in act.ranges:
        fill(max(5, int(count * scale)), lambda: rng.uniform(lo, hi))
    log_hi = math.log10(min(bound, 3e38))
    fill((n - len(pts)) // 2, lambda: rng.choice((-1, 1)) * 10 ** rng.uniform(-30, log_hi))
    lim = min(20.0, bound)
    fill(n - len(pts), lambda: rng.uniform(-lim, lim))
    pts.sort()
    return pts


def lo_text(lo):
    return "0" if lo == 0 else format(lo, ".3g")


def write_table(act, values, ty_list):
    ty = ty_list[0]
    pvals = {p: value_of(values[p], ty) for p in act.params}
    cols = columns(act, pvals)
    col_roots = {c.name: roots_of(act, c, pvals) for c in cols}
    all_roots = sorted({r for rs in col_roots.values() for r in rs})
    n = N_DEFAULT if values == act.default else N_OTHER
    pts = draw(act, pvals, n, all_roots, spec_text(act, values) + ty)
    funcs = [evaluator(act, c, pvals) for c in cols]
    rows = []
    for xv in pts:
        refs = [go.reference(f, xv, EXTRA_DIGITS) for f in funcs]
        if any(r is None for r in refs):
            continue
        rows.append((xv, refs))
    xs = [r[0] for r in rows]
    name = spec_text(act, values)
    lines = [
        f"# activation: {name}",
        f"# builtin: {act.name}",
        "# types: " + " ".join(ty_list),
        "# columns: " + " ".join(c.name for c in cols),
    ]
    for c in cols:
        listed = [r for r in col_roots[c.name] if any(go.in_window(v, float(r)) for v in xs)]
        lines.append(f"# roots {c.name}:" + "".join(" " + mp.nstr(r, 25, strip_zeros=False)
                                                    for r in listed))
    lines.append(f"# generated by tests/oracle/gen_activations.py, mpmath {mp.__version__},"
                 f" sympy {sp.__version__}; {len(rows)} points")
    for xv, refs in rows:
        lines.append(f"{go.f32_bits(xv):08x} " + " ".join(
            f"{go.f64_bits(hi):016x} {lo_text(lo)}" for hi, lo in refs))
    fname = name.replace("(", ".").replace(")", "").replace(", ", ".").replace("=", "_")
    if len(ty_list) == 1:
        fname += "." + ty
    path = os.path.join(OUT, fname + ".txt")
    with open(path, "w", newline="\n") as out:
        out.write("\n".join(lines) + "\n")
    print(f"{fname:48s} {len(rows):5d} points {len(all_roots):4d} roots {os.path.getsize(path):8d} bytes",
          flush=True)


# ---------------------------------------------------------------- special values

SPECIAL_T = {
    "f32": dict(tiny=go.F32_TINY, max=go.F32_MAX, round=lambda v: go.f32(v)),
    "f64": dict(tiny=5e-324, max=1.7976931348623157e308, round=lambda v: v),
}
HUGE = (mpf("1e100"), mpf("1e150"))  # mpmath's erfc overflows a float beyond 1e150


def limit_value(f, sign, ty):
    """f's limit at sign*inf, rounded to ty, as a float; None where it has none."""
    a, b = (f(sign * h) for h in HUGE)
    ra, rb = (round_ty(v, ty) for v in (a, b))
    if ra == rb:
        return ra
    if a != 0 and b != 0 and (a > 0) == (b > 0) and abs(b) > abs(a) * mpf(10) ** 20:
        return math.inf if b > 0 else -math.inf
    return None


def round_ty(v, ty):
    with mp.workdps(80):
        r = go.round_f64(mpf(v))
    if ty == "f32":
        # the double-double rounding of gen_oracle is not needed here: special values are
        # exact, limits or far from an f32 midpoint
        r = to_f32(r)
    return r


def to_f32(v):
    """The f64 v rounded to f32, infinite beyond the f32 overflow threshold."""
    if math.isfinite(v) and abs(v) >= go.F32_MAX * (1 + 2 ** -25):
        return math.copysign(math.inf, v)
    return go.f32(v) if math.isfinite(v) else v


def exact_value(f, xv, ty):
    ref = go.reference(f, xv, EXTRA_DIGITS)
    if ref is None:
        return None
    hi, lo = ref
    if ty == "f32":
        return to_f32(hi)
    return hi


def special_points(act, pvals, ty):
    t = SPECIAL_T[ty]
    # Saturation: at 20.5 sigma is 1 in f32 (and softplus's default threshold is passed),
    # at 40.5 in f64 (and gelu's erfc has saturated), exp overflows f32 at 88.8 and f64
    # before 800; 100 lies between.
    pts = [0.0, t["tiny"], t["max"], 1e30, 1.0, 2.0, 800.0, 100.0, 88.8, 40.5, 20.5]
    pts = pts + [-v for v in pts]
    for k in act.kinks(pvals):
        pts.append(float(k))
    out = []
    for v in pts:
        v = t["round"](v)
        if act.domain and abs(v) > act.domain:
            continue
        if v not in out:
            out.append(v)
    return out


def write_special(ty):
    lines = [f"# special values for {ty}: '<activation> | <x> | <column>=<value> ...'",
             "# generated by tests/oracle/gen_activations.py; values are the exact value"
             f" rounded to {ty}, limits at +-inf, 'none' where there is no limit"]
    for act in R:
        for values in act.param_sets():
            pvals = {p: value_of(values[p], ty) for p in act.params}
            cols = columns(act, pvals)
            funcs = [evaluator(act, c, pvals) for c in cols]
            name = spec_text(act, values)
            xs = special_points(act, pvals, ty) + [math.inf, -math.inf]
            for xv in xs:
                vals = []
                for c, f in zip(cols, funcs):
                    if math.isinf(xv):
                        if act.domain:
                            v = None if c.name != "forward" else xv
                        else:
                            v = limit_value(f, 1 if xv > 0 else -1, ty)
                    else:
                        v = exact_value(f, xv, ty)
                        if v is None:  # overflows f64: the rounded value is infinite
                            v = math.inf if f(mpf(xv)) > 0 else -math.inf
                    vals.append(f"{c.name}={'none' if v is None else repr(v)}")
                lines.append(f"{name} | {xv!r} | " + " ".join(vals))
    path = os.path.join(OUT, f"special.{ty}.txt")
    with open(path, "w", newline="\n") as out:
        out.write("\n".join(lines) + "\n")
    print(f"special.{ty}: {len(lines)} lines", flush=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    # arguments: the built-ins to write (all by default), or `special` for the special files
    only = sys.argv[1:]
    for act in R:
        if only == ["special"]:
            break
        if only and act.name not in only:
            continue
        for values in act.param_sets():
            exact_f32 = all(go.f32(float(values[p])) == float(values[p]) for p in act.params)
            if exact_f32:
                write_table(act, values, ["f32", "f64"])
            else:
                write_table(act, values, ["f32"])
                write_table(act, values, ["f64"])
    if not only or only == ["special"]:
        for ty in ("f32", "f64"):
            write_special(ty)


if __name__ == "__main__":
    main()
