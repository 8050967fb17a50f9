"""Coefficients of `erfc_wide`'s polynomial (crates/actdiff/src/math/f32.rs).

`erfc(a) = e^(-a²) · P(t) / (a + K)` with `t = (a - K)/(a + K)`, `K = 3`, for `a` in
[0, 14] (t in [-1, 0.647]): `P` of degree 11 approximates `erfc(a)·e^(a²)·(a + K)`,
fitted for relative error by Lawson's iteration (`lawson.py`) on weighted least squares
over Chebyshev nodes in t, in mpmath at 50 digits, coefficients rounded to f64. The
script then measures the rounded polynomial's relative error against mpmath's erfc on
20,001 points of the interval in t and prints it (2^-32.5).

Run: python3 tests/oracle/fit_erfc_wide.py  (needs mpmath; about a minute)
"""
import mpmath as mp

from lawson import fit_relative, horner

mp.mp.dps = 50
K = mp.mpf(3)
A0, A1 = mp.mpf(0), mp.mpf(14)
T0, T1 = (A0 - K) / (A0 + K), (A1 - K) / (A1 + K)
DEG = 11
NODES = 300


def target(t):
    a = K * (1 + t) / (1 - t)
    return mp.erfc(a) * mp.exp(a * a) * (a + K)


mid, half = (T0 + T1) / 2, (T1 - T0) / 2
ts = [mid + half * mp.cos(mp.pi * (i + mp.mpf(1) / 2) / NODES) for i in range(NODES)]
ys = [target(t) for t in ts]
c = fit_relative(ts, ys, DEG)

coeffs = [float(c[j]) for j in range(DEG + 1)]
worst = mp.mpf(0)
for i in range(20001):
    t = T0 + (T1 - T0) * i / 20000
    worst = max(worst, abs(horner(coeffs, t) / target(t) - 1))
for j, cj in enumerate(coeffs):
    print(f"P{j}: {cj!r}")
print(f"max relative error on t in [{mp.nstr(T0, 4)}, {mp.nstr(T1, 4)}]: {mp.nstr(worst, 3)} = 2^{mp.nstr(mp.log(worst, 2), 4)}")
