"""snake's gradient in alpha against mpmath, for any alpha, on points drawn afresh (not
the oracle table's): 2,000 uniform in [-100, 100] and, for each of the first 60 roots
u0 of tan u = 2u (where the gradient's two terms cancel), u0/alpha and five points
beside it. Error as DESIGN.md counts it: ULPs of the correctly rounded value, the
absolute error in units of EPSILON within 1e-3·max(1, |x0|) of a root x0 of the
gradient (those of tan u = 2u and the multiples of pi, over alpha). Needs mpmath;
builds nothing itself:

    cargo build --release --example param_gradient_points
    python3 tests/oracle/check_snake.py [alpha,alpha,...] [seed]
"""
import math
import os
import random
import struct
import subprocess
import sys

import mpmath as mp

mp.mp.dps = 50
ALPHAS = [float(a) for a in (sys.argv[1] if len(sys.argv) > 1 else "0.1,0.3,0.5,1,2.7,7").split(",")]
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 11
BIN = os.environ.get("PARAM_GRADIENT_POINTS", "target/release/examples/param_gradient_points")


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def gradient(alpha, x):
    u = alpha * x
    return (u * mp.sin(2 * u) - mp.sin(u) ** 2) / alpha ** 2


def ulp32(v):
    v = abs(f32(v))
    return max(2.0 ** (math.frexp(v)[1] - 24), 2.0 ** -149) if v else 2.0 ** -149


# Roots of 2u·cos u - sin u, one in each ((k + 1/2)pi - 1/2, (k + 1/2)pi).
G_ROOTS = [mp.findroot(lambda u: 2 * u * mp.cos(u) - mp.sin(u), (k + 0.5) * mp.pi - 1 / (2 * (k + 0.5) * mp.pi))
           for k in range(60)]


def error(got, want, x, roots, ulp, eps):
    if got == float(want) and want == mp.mpf(got):
        return 0.0
    diff = abs(mp.mpf(got) - want)
    ulps = float(diff / ulp)
    near = any(abs(x - x0) < 1e-3 * max(1, abs(x0)) for x0 in roots)
    return min(ulps, float(diff / eps)) if near else ulps


rng = random.Random(SEED)
for alpha in ALPHAS:
    a64, a32 = mp.mpf(alpha), mp.mpf(f32(alpha))
    xs = [rng.uniform(-100, 100) for _ in range(2000)]
    for r in G_ROOTS:
        for s in (1, -1):
            x0 = s * r / a64
            xs += [float(x0 * (1 + d)) for d in (0, 1e-13, -1e-10, 1e-7, -1e-5, 3e-4)]
    top = max(abs(x) for x in xs) * 1.01
    roots = {}
    for a in (a64, a32):
        k = int(top * a / mp.pi) + 1
        roots[a] = [float(s * r / a) for r in G_ROOTS for s in (1, -1)] + [float(j * mp.pi / a) for j in range(-k, k + 1)]
    out = subprocess.run([BIN, f"snake(alpha={alpha})", "0"], input="\n".join(repr(x) for x in xs),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    worst64 = worst32 = (0.0, None)
    for x, line in zip(xs, out):
        g64, g32 = (float(v) for v in line.split())
        want = gradient(a64, mp.mpf(x))
        e = error(g64, want, x, roots[a64], math.ulp(float(want)) if float(want) else 5e-324, 2.0 ** -52)
        worst64 = max(worst64, (e, x), key=lambda t: t[0])
        x32 = f32(x)
        want = gradient(a32, mp.mpf(x32))
        e = error(f32(g32), want, x32, roots[a32], ulp32(float(want)), 2.0 ** -23)
        worst32 = max(worst32, (e, x32), key=lambda t: t[0])
    print(f"actdiff snake(alpha={alpha}) d_alpha: f64 max {worst64[0]:.2f} at x={worst64[1]!r}, "
          f"f32 max {worst32[0]:.2f} at x={worst32[1]!r} (n={len(xs)})", flush=True)
