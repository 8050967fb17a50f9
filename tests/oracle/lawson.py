"""Lawson's iteration for a polynomial of least maximum relative error, shared by the
fit scripts (`fit_exp_wide.py`, `fit_erfc_wide.py`): weighted least squares on the
points, each weight then scaled by its point's error, so that the weights gather where
the error peaks and the solution tends to the minimax one."""
import mpmath as mp


def horner(coeffs, x):
    """`coeffs[0] + coeffs[1]·x + ...`, in mpmath."""
    p = mp.mpf(0)
    for c in reversed(coeffs):
        p = p * x + mp.mpf(c)
    return p


def fit_relative(xs, ys, deg, iterations=40):
    """Coefficients (constant first, mpmath numbers) of the degree-`deg` polynomial
    whose relative error `p(x)/y - 1` on the points is least in the maximum."""
    w = [mp.mpf(1)] * len(xs)
    for _ in range(iterations):
        # Weighted normal equations for the relative error p(x)/y - 1.
        m = mp.matrix(deg + 1, deg + 1)
        v = mp.matrix(deg + 1, 1)
        for x, y, wi in zip(xs, ys, w):
            s = wi / (y * y)
            pw = [x**j for j in range(deg + 1)]
            for i in range(deg + 1):
                v[i] += s * pw[i] * y
                for j in range(deg + 1):
                    m[i, j] += s * pw[i] * pw[j]
        c = mp.lu_solve(m, v)
        errs = [abs(horner([c[j] for j in range(deg + 1)], x) / y - 1) for x, y in zip(xs, ys)]
        total = mp.fsum(wi * e for wi, e in zip(w, errs))
        w = [wi * e / total for wi, e in zip(w, errs)]
    return [c[j] for j in range(deg + 1)]
