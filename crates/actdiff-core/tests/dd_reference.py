"""Reference values for the double-double evaluator's tests (crates/actdiff-core/src/dd.rs).

Run from the repository root, with only mpmath installed:

    python3 crates/actdiff-core/tests/dd_reference.py              # the test tables
    python3 crates/actdiff-core/tests/dd_reference.py --constants  # dd.rs's constants

The first prints Rust source: paste it over the block between `BEGIN generated` and
`END generated` in dd.rs's test module. The second prints the low parts of the constants
that dd.rs spells out (ln 2, pi/2, 2/sqrt(pi)). CI never runs this script; the output is
deterministic (fixed points, a fixed seed), so running it again reproduces the committed
tables byte for byte.

Every input is a double-double x = hi + lo (lo is 0 for most points) and every expected
value f(x), computed by mpmath at 40 significant digits, is written as the double-double
hi = f(x) rounded to the nearest f64, lo = (f(x) - hi) rounded to the nearest f64, which
represents f(x) to about 1e-32 relative: far below the 1e-28 the tests allow. Each value
is computed a second time at 80 digits, and the script stops if the two disagree beyond
1e-38 relative, so that a point where mpmath's own evaluation cancels cannot slip in.
"""

import random
import sys

from mpmath import mp, mpf

DIGITS = 40
# Module-level arithmetic too (forming hi + lo, the random inputs) needs more than f64's
# 53 bits.
mp.dps = DIGITS


def split(v):
    """The double-double (hi, lo) nearest the mpf v."""
    hi = float(v)
    lo = float(v - mpf(hi))
    return hi, lo


def reference(f, *args):
    """f(*args) at DIGITS digits, checked against the same at twice the precision."""
    with mp.workdps(DIGITS):
        v = f(*[mpf(a) for a in args])
    with mp.workdps(2 * DIGITS):
        w = f(*[mpf(a) for a in args])
        if w != 0 and abs(v / w - 1) > mpf(10) ** -38:
            raise SystemExit(f"mpmath disagrees with itself at {args}: {v} vs {w}")
        if w == 0 and v != 0:
            raise SystemExit(f"mpmath disagrees with itself at {args}: {v} vs 0")
    return v


def lit(x):
    """A Rust f64 literal that reads back as exactly x."""
    s = repr(float(x))
    if s in ("inf", "-inf", "nan"):
        raise SystemExit(f"not a finite literal: {s}")
    return s


def symmetric(points):
    return sorted({p for x in points for p in (x, -x)})


# The nearest f64 to a multiple k pi/2 that is closest to it (absolute distance), for
# k in [lo, hi): where sin or cos of an f64 is smallest, the hardest case of reduction.
def nearest_to_multiple_of_half_pi(lo, hi):
    with mp.workdps(60):
        best = None
        for k in range(lo, hi):
            t = k * mp.pi / 2
            x = float(t)
            d = abs(mpf(x) - t)
            if best is None or d < best[0]:
                best = (d, x)
        return best[1]


def pi_dd():
    with mp.workdps(60):
        return split(mp.pi)


UNARY = {
    "EXP": (
        mp.exp,
        symmetric([1e-300, 1e-20, 1e-10, 0.001, 0.1, 0.3465, 0.35, 0.5, 1.0, 2.5, 10.0,
                   20.0, 50.5, 100.0, 300.0, 700.0])
        + [0.0, 709.0, 709.78, -708.0, -720.0, -740.0, -745.0],
    ),
    "EXPM1": (
        mp.expm1,
        symmetric([1e-300, 1e-30, 1e-17, 1e-8, 0.001, 0.1, 0.34, 0.35, 0.5, 1.0, 2.0,
                   5.0, 30.0])
        + [-50.0, -80.0, 100.0, 700.0, 709.7],
    ),
    "LN": (
        mp.log,
        [5e-324, 1e-320, 1e-300, 1e-20, 0.1, 0.5, 0.7071067811865476, 0.9, 0.999999,
         0.9999999999999999, 1.0, 1.0000000000000002, 1.0000001, 1.1, 1.4142135623730951,
         1.5, 2.0, 2.718281828459045, 10.0, 1e10, 1e100, 1e300, 1.7976931348623157e308,
         (1.0, 2.0**-70), (1.0, -(2.0**-80)), (0.75, 2.0**-60)],
    ),
    "LOG1P": (
        mp.log1p,
        [-0.9999999999, -0.99, -0.5, -0.3, -0.29, -0.1, -1e-5, -1e-20, -1e-300, 0.0,
         1e-300, 1e-20, 1e-10, 1e-5, 0.1, 0.3, 0.41, 0.42, 0.5, 1.0, 2.0, 10.0, 1e5, 1e20,
         1e300, 1.7976931348623157e308, (1e-20, 1e-37), (-0.25, 2.0**-60)],
    ),
    "SQRT": (
        mp.sqrt,
        [5e-324, 1e-310, 1e-300, 1e-20, 0.01, 0.5, 1.0, 1.0000000000000002, 2.0, 3.0,
         10.0, 12345.678, 1e20, 1e300, 1.7976931348623157e308, (2.0, 1e-20),
         (1.0, -(2.0**-60))],
    ),
    "TANH": (
        mp.tanh,
        symmetric([1e-300, 1e-20, 1e-8, 0.01, 0.1, 0.25, 0.4999, 0.5, 0.75, 1.0, 2.0,
                   5.0, 10.0, 19.0, 20.0, 40.0, 400.0]),
    ),
    "SECH2": (
        lambda x: 1 / mp.cosh(x) ** 2,
        symmetric([1e-300, 1e-10, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 300.0,
                   354.0, 370.0])
        + [0.0],
    ),
    "SIGMOID": (
        lambda x: 1 / (1 + mp.exp(-x)),
        symmetric([1e-300, 1e-10, 0.1, 0.5, 1.0, 2.5, 10.0, 30.0, 50.0, 100.0, 700.0])
        + [0.0, -740.0, -745.0],
    ),
    "SOFTPLUS": (
        lambda x: mp.log1p(mp.exp(x)),
        symmetric([1e-300, 1e-10, 0.1, 0.5, 1.0, 2.5, 10.0, 30.0, 50.0, 100.0, 700.0])
        + [0.0, -740.0, 1e10, 1e300],
    ),
    "ERF": (
        mp.erf,
        symmetric([1e-300, 1e-20, 1e-10, 0.001, 0.1, 0.5, 1.0, 1.5, 1.99, 2.0, 2.5, 3.0,
                   5.0, 8.0, 10.0, 27.0]),
    ),
    "ERFC": (
        mp.erfc,
        symmetric([1e-300, 1e-10, 0.1, 0.5, 1.0, 1.5, 1.99, 2.0, 2.01, 3.0, 5.0, 10.0])
        + [1.9877063059185378, 2.5, 3.5, 4.0, 6.0, 7.5, 12.0, 15.0, 20.0, 25.0, 25.5, 26.0,
           26.5, 27.0, 27.2, -27.0],
    ),
    "GAUSS": (
        lambda x: mp.exp(-x * x),
        symmetric([1e-300, 1e-10, 0.1, 0.5, 1.0, 1.5, 2.0, 3.3, 5.5, 10.0, 15.0, 20.0,
                   25.9, 26.5, 27.2, 30.0])
        + [0.0, (1.5, 2.0**-60), (24.0, -(2.0**-50))],
    ),
    "SIN": (
        mp.sin,
        symmetric([1e-300, 1e-20, 1e-8, 0.1, 0.5, 0.7853981633974483, 1.0,
                   1.5707963267948966, 3.141592653589793, 10.0, 355.0, 99999.0])
        + [2.0, 4.0, 6.283185307179586, 100.0, 1000.0, 22000.0, 52174.0, 100000.0,
           nearest_to_multiple_of_half_pi(1, 64),
           nearest_to_multiple_of_half_pi(40000, 63662), pi_dd(), 1e12,
           nearest_to_multiple_of_half_pi(600000000000, 600000020000)],
    ),
    "COS": (
        mp.cos,
        symmetric([1e-300, 0.1, 0.7853981633974483, 1.5707963267948966, 3.0, 355.0,
                   99999.0])
        + [0.0, 0.5, 1.0, 2.0, 4.0, 4.71238898038469, 10.0, 100.0, 1000.0, 22000.0,
           52174.0, 100000.0, nearest_to_multiple_of_half_pi(1, 64),
           nearest_to_multiple_of_half_pi(40000, 63662), 1e12,
           nearest_to_multiple_of_half_pi(600000000000, 600000020000)],
    ),
}

POW = [
    (2.0, 0.5), (2.0, 10.0), (2.0, -1074.0), (10.0, 300.0), (1.5, 1000.0), (0.5, 0.5),
    (3.0, 1 / 3), (1e-300, 0.001), (7.5, -3.3), (100.0, 154.0), (-2.0, 3.0),
    (-2.0, -3.0), (-1.5, 100.0), (0.999999, 1e6), (1.0000001, 1e7), (2.718281828459045, 2.5),
    (1e10, -30.0), (1.0001, -7000000.0), (0.1, 0.1), (123.456, 78.9), (5.0, -400.0),
    (1.7976931348623157e308, 0.5), (5e-324, 0.5), (0.3, 612.0), (9.0, 0.5), (2.5, 1.0),
]

POWI = [
    (1.1, 2), (1.1, 3), (-1.3, 7), (0.5, -3), (3.0, 40), (1.0001, 1000), (1.01, -100),
    (2.5, 0), (-0.7, -5), (10.0, 300), (10.0, -300), (1.2345678, 17), (0.9999, 65535),
    (-2.0, 63), (7.0, 1), (7.0, -1),
]


def dd_points(rng, n, cancel):
    """Random double-double pairs (a, b) with magnitudes from 1e-30 to 1e30; with
    `cancel`, b is close to -a, so that a + b cancels."""
    out = []
    for _ in range(n):
        def one():
            hi = rng.choice([-1, 1]) * 10 ** rng.uniform(-30, 30)
            lo = hi * rng.uniform(-1, 1) * 2.0**-54
            return split(mpf(hi) + mpf(lo))
        a = one()
        if cancel:
            b = split(-(mpf(a[0]) + mpf(a[1])) * (1 + mpf(rng.uniform(-1, 1)) * 2.0**-40))
        else:
            b = one()
        out.append((a, b))
    return out


def table(name, rows, fields):
    print("#[rustfmt::skip]")
    print(f"const {name}: &[{fields}] = &[")
    for row in rows:
        print("    (" + ", ".join(row) + "),")
    print("];")


def main():
    if "--constants" in sys.argv:
        with mp.workdps(100):
            for name, v, parts in [("LN2", mp.log(2), 3), ("FRAC_PI_2", mp.pi / 2, 4),
                                   ("FRAC_2_SQRT_PI", 2 / mp.sqrt(mp.pi), 2)]:
                out = []
                for _ in range(parts):
                    out.append(float(v))
                    v -= mpf(out[-1])
                print(name, ", ".join(lit(p) for p in out))
        return

    print("// BEGIN generated by crates/actdiff-core/tests/dd_reference.py; do not edit by hand.")
    for name, (f, points) in UNARY.items():
        rows = []
        for p in points:
            hi, lo = p if isinstance(p, tuple) else (p, 0.0)
            want = split(reference(lambda a, b: f(a + b), hi, lo))
            rows.append([lit(hi), lit(lo), lit(want[0]), lit(want[1])])
        table(name, rows, "(f64, f64, f64, f64)")

    rows = []
    for a, b in POW:
        want = split(reference(lambda x, y: x**y, a, b))
        rows.append([lit(a), lit(b), lit(want[0]), lit(want[1])])
    table("POW", rows, "(f64, f64, f64, f64)")

    rows = []
    for a, n in POWI:
        want = split(reference(lambda x: x**n, a))
        rows.append([lit(a), str(n), lit(want[0]), lit(want[1])])
    table("POWI", rows, "(f64, i32, f64, f64)")

    rng = random.Random(20261127)
    for name, op, cancel in [("ADD", lambda x, y: x + y, True),
                             ("MUL", lambda x, y: x * y, False),
                             ("DIV", lambda x, y: x / y, False)]:
        rows = []
        for a, b in dd_points(rng, 12, cancel):
            want = split(reference(lambda p, q, r, s: op(p + q, r + s), *a, *b))
            rows.append([lit(a[0]), lit(a[1]), lit(b[0]), lit(b[1]), lit(want[0]),
                         lit(want[1])])
        table(name, rows, "(f64, f64, f64, f64, f64, f64)")

    # mish'(x) = tanh(softplus(x)) + x sigmoid(x) sech^2(softplus(x)), near its root.
    def mish_derivative(x):
        t = mp.tanh(mp.log1p(mp.exp(x)))
        return t + x / (1 + mp.exp(-x)) * (1 - t * t)

    x = -1.1947323083877563
    want = reference(mish_derivative, x)
    with mp.workdps(2 * DIGITS):
        numeric = mp.diff(lambda u: u * mp.tanh(mp.log1p(mp.exp(u))), mpf(x))
        if abs(numeric / want - 1) > mpf(10) ** -30:
            raise SystemExit(f"mish' formula disagrees with numeric differentiation: {numeric}")
    hi, lo = split(want)
    print(f"/// mish'({lit(x)}) as (x, hi, lo).")
    print("#[rustfmt::skip]")
    print(f"const MISH_DERIVATIVE: (f64, f64, f64) = ({lit(x)}, {lit(hi)}, {lit(lo)});")
    print("// END generated")


main()
