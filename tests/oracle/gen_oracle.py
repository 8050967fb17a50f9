"""Reference values of actdiff's math functions for its accuracy test (tests/accuracy.rs).
The built-in activations have their own script, gen_activations.py, which uses the helpers
here.

Run from the repository root, with only mpmath installed (no numpy):

    python3 tests/oracle/gen_oracle.py          # rewrites tests/oracle/data/*.txt

CI never runs this script; it reads the committed files in tests/oracle/data/. The output
is deterministic (fixed seeds, exact rounding written out by hand below), so running it
again reproduces the committed files byte for byte; commit them after any change here.

What it writes, one file per measured function, name.txt:
    line 1      '# <name>: <formula>'
    line 2      '# roots: <x0> <x0> ...' the non-trivial roots of the function (see ROOTS below)
    more '#' lines: how the file was generated
    then one line per point:  x_f64_bits  hi_f64_bits  lo_f64_bits   (16 hex digits each)
where the exact value f(x) is represented by the double-double hi + lo:
hi = f(x) rounded to the nearest f64, lo = (f(x) - hi) rounded to the nearest f64.

Points. Every x is exactly representable in f32, so one file serves the f32 and the f64
test. Per function, about 4000 of them: uniform in [-20, 20]; log-uniform magnitudes from
1e-30 to 1e30, both signs; the neighbourhood of 0, subnormals included; f32 edges (MIN_POSITIVE, MAX); ranges where the function is
delicate (exp's overflow and underflow thresholds, sigmoid's tail, erfc's tail, ...); and
points within 1e-3 of each non-trivial root (plus a band just outside the test's window).
Points outside the function's domain, and points where the reference overflows f64, are
not drawn (special values are covered by another test).

ROOTS. The test measures error in ULPs of the correctly rounded value, except within
|x - x0| < 1e-3 * max(1, |x0|) of a root x0 listed in the header, where it counts the
absolute error in units of the type's epsilon (DESIGN.md, "Accuracy"). Only non-trivial
roots are listed: irrational x0, where f(x) for representable x is the difference of
nearly equal quantities (sin at k*pi for k != 0, cos at (k + 1/2)*pi). Roots at exactly representable points where a good implementation keeps
full relative accuracy (tanh, erf, expm1, log1p, sin at 0; ln at 1, where x - 1 is
exact) are trivial and not listed, so the ULP metric applies there. For sin and cos only
the roots whose window holds at least one point of the file are listed.

Accuracy of the reference. Each value is computed at mp.dps = 60 and again with 30 more
digits; if the two differ by more than 1e-45 relatively, the precision is raised until
they agree, so hi and lo are correct whatever cancellation a formula has; a value that
is 0 at both precisions is computed again at 1000 digits, since it may be a total
cancellation rather than a zero. Rounding to
f64 is done here on the exact mantissa (mpmath's float() truncates and double-rounds
subnormals).
"""

import math
import os
import random
import sys
import struct
import zlib

import mpmath as mp
from mpmath import mpf

DPS = 60
SEED = 20261127
N_POINTS = 4000
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

mp.mp.dps = DPS


# ---------------------------------------------------------------- f32 / f64 bit helpers

def f32(v):
    """Round a Python float (f64) to the nearest f32 (ties to even), returned as a float."""
    return struct.unpack("<f", struct.pack("<f", v))[0]


def f64_bits(v):
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def f32_from_bits(b):
    return struct.unpack("<f", struct.pack("<I", b))[0]


def f32_bits(v):
    return struct.unpack("<I", struct.pack("<f", v))[0]


def f32_step(v, k):
    """The f32 k steps away from the f32 v along the real line (k may be negative)."""
    # Map f32 bit patterns to a monotone integer line, step, map back.
    b = f32_bits(v)
    i = b if b < 0x80000000 else -(b - 0x80000000)
    i += k
    b = i if i >= 0 else 0x80000000 - i
    if (b & 0x7F800000) == 0x7F800000:
        return None
    return f32_from_bits(b)


F32_MAX = f32_from_bits(0x7F7FFFFF)
F32_MIN_POSITIVE = f32_from_bits(0x00800000)
F32_TINY = f32_from_bits(0x00000001)


def round_f64(v):
    """The mpf v rounded to the nearest f64, ties to even, subnormals rounded once.
    Returns math.inf (signed) on overflow."""
    if v == 0:
        return 0.0
    sign, man, exp, bc = v._mpf_
    man = int(man)
    top = exp + bc - 1  # exponent of the leading bit
    if top < -1076:  # below half the smallest subnormal
        return -0.0 if sign else 0.0
    if top > 1024:
        return -math.inf if sign else math.inf
    shift = bc - 53 if top >= -1022 else -1074 - exp
    if shift > 0:
        q, r = man >> shift, man & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        if r > half or (r == half and (q & 1)):
            q += 1
        man, exp = q, exp + shift
    try:
        out = math.ldexp(man, exp)
    except OverflowError:
        out = math.inf
    if out > 1.7976931348623157e308:
        out = math.inf
    return -out if sign else out


# ---------------------------------------------------------------- reference with verified precision

_CACHE = {}


def reference(f, x, extra=30):
    """f(x) (x a float) as the double-double (hi, lo), or None if it overflows f64. The
    check runs f again with `extra` more digits (see "Accuracy of the reference")."""
    key = (f, f64_bits(x))
    if key not in _CACHE:
        _CACHE[key] = _reference(f, x, extra)
    return _CACHE[key]


def _reference(f, x, extra):
    dps = DPS
    with mp.workdps(dps):
        a = f(mpf(x))
    while True:
        with mp.workdps(dps + extra):
            b = f(mpf(x))
        if a == 0 and b == 0 and dps < 1000:
            # Both zero may be total cancellation (1 - tanh(100)^2 at 60 digits): look
            # again far beyond the smallest subnormal's 324 digits.
            dps = 1000
            with mp.workdps(dps):
                a = f(mpf(x))
            continue
        if b == a or abs(b - a) <= abs(b) * mpf(10) ** -45:
            break
        dps *= 2
        if dps > 4000:
            raise RuntimeError(f"reference does not converge at x={x!r}")
        a = b
    with mp.workdps(dps + extra):
        hi = round_f64(b)
        if math.isinf(hi):
            return None
        lo = round_f64(b - mpf(hi))  # exact: b has far more bits than hi, same exponent
    return hi, lo


# ---------------------------------------------------------------- the functions

def softplus(x):
    return mp.log1p(mp.exp(x))


def sigmoid(x):
    return 1 / (1 + mp.exp(-x))


# ---------------------------------------------------------------- roots

def trig_roots(offset, limit):
    """x0 = (k + offset) * pi with |x0| <= limit, x0 != 0."""
    roots = []
    kmax = int(limit / math.pi) + 1
    for k in range(-kmax - 1, kmax + 1):
        x0 = (k + offset) * mp.pi
        if x0 != 0 and abs(x0) <= limit:
            roots.append(x0)
    return roots


def in_window(x, x0):
    return abs(x - x0) < 1e-3 * max(1.0, abs(x0))


# ---------------------------------------------------------------- point sets

def all_reals(_x):
    return True


class Spec:
    """Points for one function (or one activation, shared by its files)."""

    def __init__(self, key, domain=all_reals, ranges=(), roots=(), root_points=500,
                 log_max=1e30):
        self.key = key  # seeds the generator
        self.domain = domain
        self.ranges = list(ranges)  # (lo, hi, count): uniform extra points
        self.roots = list(roots)  # mpf roots whose neighbourhood gets points
        self.root_points = root_points if self.roots else 0
        self.log_max = log_max


def draw_points(spec, accept):
    """About N_POINTS distinct f32 values (as floats), sorted, all with accept(x) true."""
    rng = random.Random(SEED ^ zlib.crc32(spec.key.encode()))
    seen = set()
    points = []

    def add(v):
        if v is None or math.isnan(v) or math.isinf(v):
            return False
        v = f32(v)
        if math.isinf(v):
            return False
        b = f64_bits(v)
        if b in seen or not spec.domain(v) or not accept(v):
            return False
        seen.add(b)
        points.append(v)
        return True

    def fill(count, draw):
        got, tries = 0, 0
        while got < count and tries < 50 * count + 100:
            tries += 1
            got += add(draw())

    # f32 edges and the neighbourhood of 0 (every activation's kink is at 0).
    for v in (0.0, -0.0, F32_TINY, F32_MIN_POSITIVE, F32_MAX, 1.0, 2.0, 0.5,
              f32_step(1.0, -1), f32_step(1.0, 1), f32_step(F32_MIN_POSITIVE, -1)):
        add(v)
        add(-v)
    for k in range(1, 11):
        add(f32_step(0.0, k))
        add(-f32_step(0.0, k))
        add(f32_step(0.0, k * 1000003))
        add(-f32_step(0.0, k * 1000003))
    fill(150, lambda: rng.choice((-1, 1)) * 10 ** rng.uniform(-45, -2))
    fill(100, lambda: rng.uniform(-0.01, 0.01))

    # Non-trivial roots: the nearest f32s, points within 1e-3, and a band just outside.
    if spec.root_points:
        per_root = max(4, spec.root_points // len(spec.roots))
        chosen = spec.roots
        if len(chosen) * per_root > spec.root_points:
            chosen = rng.sample(chosen, spec.root_points // per_root)
        for x0 in chosen:
            near = f32(float(x0))
            for k in range(-3, 4):
                add(f32_step(near, k))
            w = 1e-3 * max(1.0, abs(float(x0)))
            fill(per_root // 2, lambda: float(x0) + rng.uniform(-w, w))
            fill(per_root // 4, lambda: float(x0) + rng.choice((-1, 1)) * rng.uniform(w, 10 * w))

    for lo, hi, count in spec.ranges:
        fill(count, lambda: rng.uniform(lo, hi))

    rest = N_POINTS - len(points)
    log_lo, log_hi = -30, math.log10(spec.log_max)
    fill(rest // 2, lambda: rng.choice((-1, 1)) * 10 ** rng.uniform(log_lo, log_hi))
    fill(N_POINTS - len(points), lambda: rng.uniform(-20, 20))
    # Domain restrictions can leave the uniform draw short (ln: half of [-20, 20]).
    fill(N_POINTS - len(points), lambda: rng.choice((-1, 1)) * 10 ** rng.uniform(log_lo, log_hi))
    points.sort()
    return points


# ---------------------------------------------------------------- output

def write_table(name, what, f, points, roots, notes=()):
    rows = []
    for x in points:
        r = reference(f, x)
        if r is None:
            continue  # the reference overflows f64
        rows.append((x, r[0], r[1]))
    xs = [x for x, _, _ in rows]
    listed = [x0 for x0 in roots if any(in_window(x, float(x0)) for x in xs)]
    lines = [
        f"# {name}: {what}",
        "# roots:" + "".join(" " + mp.nstr(x0, 25, strip_zeros=False) for x0 in listed),
        f"# generated by tests/oracle/gen_oracle.py with mpmath {mp.__version__}, mp.dps = {DPS}"
        " (raised until two precisions agree to 1e-45)",
        "# columns: x, hi, lo as f64 bit patterns; f(x) = hi + lo, hi = f(x) rounded to nearest f64,"
        " lo = (f(x) - hi) rounded to nearest f64",
        f"# points: {len(rows)}, all exactly representable in f32",
        *[f"# {n}" for n in notes],
    ]
    for x, hi, lo in rows:
        lines.append(f"{f64_bits(x):016x} {f64_bits(hi):016x} {f64_bits(lo):016x}")
    path = os.path.join(DATA, name + ".txt")
    with open(path, "w", newline="\n") as out:
        out.write("\n".join(lines) + "\n")
    print(f"{name:34s} {len(rows):5d} points  {len(listed):4d} roots  {os.path.getsize(path):7d} bytes")


def finite_ref(f):
    return lambda x: reference(f, x) is not None


def main():
    os.makedirs(DATA, exist_ok=True)
    ranges_exp = [(-745.2, 709.8, 300), (-104.0, 89.0, 300), (-745.2, -700.0, 60),
                  (700.0, 709.8, 60), (-104.5, -86.0, 60), (85.0, 89.0, 60)]
    math_fns = [
        ("exp", "exp(x)", mp.exp, Spec("exp", ranges=ranges_exp), ()),
        ("expm1", "exp(x) - 1", mp.expm1,
         Spec("expm1", ranges=ranges_exp[:2] + [(-1, 1, 300), (-40, 0, 100)]), ()),
        ("ln", "ln(x), x > 0", mp.ln,
         Spec("ln", domain=lambda x: x > 0,
              ranges=[(0.5, 2.0, 300), (1 - 1e-3, 1 + 1e-3, 150), (0.0, 1e-38, 60)]), ()),
        ("log1p", "ln(1 + x), x > -1", mp.log1p,
         Spec("log1p", domain=lambda x: x > -1,
              ranges=[(-1.0, -0.5, 200), (-1.0, -0.999, 60), (-0.5, 1.0, 300)]), ()),
        ("tanh", "tanh(x)", mp.tanh, Spec("tanh", ranges=[(-10, 10, 300), (-1, 1, 300)]), ()),
        ("sigmoid", "1 / (1 + exp(-x))", sigmoid,
         Spec("sigmoid", ranges=[(-750, 40, 300), (-105, -80, 150), (-5, 5, 200)]), ()),
        ("softplus", "ln(1 + exp(x))", softplus,
         Spec("softplus", ranges=[(-750, 50, 300), (-105, -80, 150), (10, 40, 150), (-5, 5, 200)]), ()),
        ("erf", "erf(x)", mp.erf, Spec("erf", ranges=[(-6, 6, 400), (-1, 1, 200)]), ()),
        ("erfc", "1 - erf(x)", mp.erfc,
         Spec("erfc", ranges=[(-6, 27.3, 400), (8, 11, 100), (25, 27.3, 100)]), ()),
    ]
    trig = [
        ("sin", "sin(x), |x| <= 1e4", mp.sin, trig_roots(0, 1e4)),
        ("cos", "cos(x), |x| <= 1e4", mp.cos, trig_roots(0.5, 1e4)),
    ]
    for name, what, f, roots in trig:
        spec = Spec(name, domain=lambda x: abs(x) <= 1e4, roots=roots, root_points=600,
                    ranges=[(-1e4, 1e4, 600), (-10, 10, 200)], log_max=1e4)
        math_fns.append((name, what, f, spec, roots))

    # The double-angle forms behind snake's derivatives. cos2x has simple roots at
    # (k + 1/2) pi/2. sin2x1p = 1 + sin(2x) has double roots at -pi/4 + k pi, which are
    # not listed: it is to keep its relative accuracy there (extra points within 2e-3
    # relative of a few of them test that), where 1 + sin(2x) as written cancels.
    half = lambda roots: [r / 2 for r in roots]
    math_fns.append(("cos2x", "cos(2x), |x| <= 5e3", lambda x: mp.cos(2 * x),
                     Spec("cos2x", domain=lambda x: abs(x) <= 5e3,
                          roots=half(trig_roots(0.5, 1e4)), root_points=600,
                          ranges=[(-5e3, 5e3, 600), (-10, 10, 200)], log_max=5e3),
                     half(trig_roots(0.5, 1e4))))
    double_roots = [float(-mp.pi / 4 + k * mp.pi) for k in (-1000, -10, -1, 0, 1, 2, 10, 100, 1000)]
    math_fns.append(("sin2x1p", "1 + sin(2x), |x| <= 5e3", lambda x: 1 + mp.sin(2 * x),
                     Spec("sin2x1p", domain=lambda x: abs(x) <= 5e3,
                          ranges=[(-5e3, 5e3, 600), (-10, 10, 200)]
                          + [(r - 2e-3 * max(1, abs(r)), r + 2e-3 * max(1, abs(r)), 150)
                             for r in double_roots], log_max=5e3),
                     ()))

    # The factor of snake's gradient in alpha, x cos x - sin(x)/2, whose roots (tan x = 2x,
    # one in each ((k + 1/2) pi - 1/2, (k + 1/2) pi)) are where the difference cancels: it
    # is to keep its absolute error there far below EPSILON.
    def xcos_roots(limit):
        g = lambda x: x * mp.cos(x) - mp.sin(x) / 2
        pos = [mp.findroot(g, (k + 0.5) * mp.pi - 1 / (2 * (k + 0.5) * mp.pi))
               for k in range(int(limit / math.pi))]
        return [r for r in pos + [-r for r in pos] if abs(r) <= limit]
    xroots = xcos_roots(5e3)
    math_fns.append(("xcos_halfsin", "x cos(x) - sin(x)/2, |x| <= 5e3",
                     lambda x: x * mp.cos(x) - mp.sin(x) / 2,
                     Spec("xcos_halfsin", domain=lambda x: abs(x) <= 5e3, roots=xroots,
                          root_points=600,
                          # beside the first roots, where r = x - pi/2 is not small and
                          # the kernels' own terms are not negligible (1.166, 4.604)
                          ranges=[(-5e3, 5e3, 600), (-10, 10, 200), (1.15, 1.18, 60),
                                  (-1.18, -1.15, 60), (4.59, 4.62, 30), (-4.62, -4.59, 30)],
                          log_max=5e3),
                     xroots))

    # `gen_oracle.py name...` writes only those tables.
    only = set(sys.argv[1:])
    for name, what, f, spec, roots in math_fns:
        if only and name not in only:
            continue
        write_table(name, what, f, draw_points(spec, finite_ref(f)), roots)


if __name__ == "__main__":
    main()
