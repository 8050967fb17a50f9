"""Coefficients of `erfc_wide`'s polynomial (crates/actdiff/src/math/f32.rs).

`erfc(a) = e^(-a²) · P(t) / (a + K)` with `t = (a - K)/(a + K)`, `K = 3`, for `a` in
[0, 14] (t in [-1, 0.647]): `P` of degree 11 approximates `erfc(a)·e^(a²)·(a + K)`, fitted
for relative error by Lawson's iteration on weighted least squares over Chebyshev nodes
in t, in mpmath at 50 digits, coefficients rounded to f64. The script then measures the
rounded polynomial's relative error against mpmath's erfc on 20,001 points of the
interval in t and prints it (2^-32.5).

Run: python3 tests/oracle/fit_erfc_wide.py  (needs mpmath; about a minute)
"""
import mpmath as mp

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
w = [mp.mpf(1)] * NODES
for _ in range(40):
    # Weighted normal equations for the relative error P(t)/y - 1.
    m = mp.matrix(DEG + 1, DEG + 1)
    v = mp.matrix(DEG + 1, 1)
    for t, y, wi in zip(ts, ys, w):
        s = wi / (y * y)
        pw = [t**j for j in range(DEG + 1)]
        for i in range(DEG + 1):
            v[i] += s * pw[i] * y
            for j in range(DEG + 1):
                m[i, j] += s * pw[i] * pw[j]
    c = mp.lu_solve(m, v)
    errs = []
    for t, y in zip(ts, ys):
        p = mp.mpf(0)
        for j in reversed(range(DEG + 1)):
            p = p * t + c[j]
        errs.append(abs(p / y - 1))
    total = mp.fsum(wi * e for wi, e in zip(w, errs))
    w = [wi * e / total for wi, e in zip(w, errs)]

coeffs = [float(c[j]) for j in range(DEG + 1)]
worst = mp.mpf(0)
for i in range(20001):
    t = T0 + (T1 - T0) * i / 20000
    p = mp.mpf(0)
    for cj in reversed(coeffs):
        p = p * t + mp.mpf(cj)
    worst = max(worst, abs(p / target(t) - 1))
for j, cj in enumerate(coeffs):
    print(f"P{j}: {cj!r}")
print(f"max relative error on t in [{mp.nstr(T0, 4)}, {mp.nstr(T1, 4)}]: {mp.nstr(worst, 3)} = 2^{mp.nstr(mp.log(worst, 2), 4)}")
