"""Coefficients of `exp_wide`'s polynomial (crates/actdiff/src/math/f32.rs).

`e^r` on |r| <= 0.35 (the reduced argument is within ln(2)/2 = 0.3466 of zero) by a
degree-7 polynomial, fitted for relative error: Lawson's iteration on weighted least
squares over Chebyshev nodes, in mpmath at 50 digits, coefficients rounded to f64. The
script then measures the rounded polynomial's relative error against mpmath's exp on
20,001 points of the interval and prints it (2^-34.5).

Run: python3 tests/oracle/fit_exp_wide.py  (needs mpmath; about 40 s)
"""
import mpmath as mp

mp.mp.dps = 50
A = mp.mpf("0.35")
DEG = 7
NODES = 200

xs = [A * mp.cos(mp.pi * (i + mp.mpf(1) / 2) / NODES) for i in range(NODES)]
ys = [mp.exp(x) for x in xs]
w = [mp.mpf(1)] * NODES
for _ in range(40):
    # Weighted normal equations for the relative error p(x)/e^x - 1.
    m = mp.matrix(DEG + 1, DEG + 1)
    v = mp.matrix(DEG + 1, 1)
    for x, y, wi in zip(xs, ys, w):
        s = wi / (y * y)
        pw = [x**j for j in range(DEG + 1)]
        for i in range(DEG + 1):
            v[i] += s * pw[i] * y
            for j in range(DEG + 1):
                m[i, j] += s * pw[i] * pw[j]
    c = mp.lu_solve(m, v)
    errs = []
    for x, y in zip(xs, ys):
        p = mp.mpf(0)
        for j in reversed(range(DEG + 1)):
            p = p * x + c[j]
        errs.append(abs(p / y - 1))
    total = mp.fsum(wi * e for wi, e in zip(w, errs))
    w = [wi * e / total for wi, e in zip(w, errs)]

coeffs = [float(c[j]) for j in range(DEG + 1)]
worst = mp.mpf(0)
for i in range(20001):
    x = -A + 2 * A * i / 20000
    p = mp.mpf(0)
    for cj in reversed(coeffs):
        p = p * x + mp.mpf(cj)
    worst = max(worst, abs(p / mp.exp(x) - 1))
for j, cj in enumerate(coeffs):
    print(f"C{j}: {cj!r}")
print(f"max relative error on [-{A}, {A}]: {mp.nstr(worst, 3)} = 2^{mp.nstr(mp.log(worst, 2), 4)}")
