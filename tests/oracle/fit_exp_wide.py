"""Coefficients of `exp_wide`'s polynomial (crates/actdiff/src/math/f32.rs).

`e^r` on |r| <= 0.35 (the reduced argument is within ln(2)/2 = 0.3466 of zero) by a
degree-7 polynomial, fitted for relative error: Lawson's iteration (`lawson.py`) on
weighted least squares over Chebyshev nodes, in mpmath at 50 digits, coefficients
rounded to f64. The script then measures the rounded polynomial's relative error against
mpmath's exp on 20,001 points of the interval and prints it (2^-34.5).

Run: python3 tests/oracle/fit_exp_wide.py  (needs mpmath; about 40 s)
"""
import mpmath as mp

from lawson import fit_relative, horner

mp.mp.dps = 50
A = mp.mpf("0.35")
DEG = 7
NODES = 200

xs = [A * mp.cos(mp.pi * (i + mp.mpf(1) / 2) / NODES) for i in range(NODES)]
ys = [mp.exp(x) for x in xs]
c = fit_relative(xs, ys, DEG)

coeffs = [float(c[j]) for j in range(DEG + 1)]
worst = mp.mpf(0)
for i in range(20001):
    x = -A + 2 * A * i / 20000
    worst = max(worst, abs(horner(coeffs, x) / mp.exp(x) - 1))
for j, cj in enumerate(coeffs):
    print(f"C{j}: {cj!r}")
print(f"max relative error on [-{A}, {A}]: {mp.nstr(worst, 3)} = 2^{mp.nstr(mp.log(worst, 2), 4)}")
