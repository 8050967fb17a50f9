"""actdiff's f32 ULP errors on exactly the points `peers/torch_ulp.py` measures
PyTorch on (same seed, same 20,000 points, same mpmath references, same metric), so
the two can be compared line by line. Needs numpy and mpmath; builds nothing itself:

    cargo build --release --example eval_points
    python tests/oracle/ulp_vs_torch.py [N] [name,name...]
"""
import struct
import subprocess
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 60
N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
rng = np.random.default_rng(7)
xs = np.concatenate([rng.uniform(-20, 20, N // 2),
                     np.sign(rng.uniform(-1, 1, N // 2)) * np.exp(rng.uniform(np.log(1e-6), np.log(80), N // 2))]).astype(np.float32)


def sp(x): return mp.log1p(mp.exp(x))
def sig(x): return 1 / (1 + mp.exp(-x))


REF = {
    "mish": (lambda x: x * mp.tanh(sp(x)), lambda x: mp.tanh(sp(x)) + x * sig(x) * (1 - mp.tanh(sp(x))**2)),
    "silu": (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * (1 - sig(x)))),
    "gelu": (lambda x: x * (1 + mp.erf(x / mp.sqrt(2))) / 2, lambda x: (1 + mp.erf(x / mp.sqrt(2))) / 2 + x * mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)),
    "softplus": (sp, sig),
    "tanh": (mp.tanh, lambda x: 1 - mp.tanh(x)**2),
    "sigmoid": (sig, lambda x: sig(x) * (1 - sig(x))),
    "elu": (lambda x: x if x > 0 else mp.expm1(x), lambda x: 1 if x > 0 else mp.exp(x)),
}


def ulp_err(got, want):
    # The metric of peers/torch_ulp.py, unchanged.
    want32 = np.float32(float(want))
    if want32 == 0 and got == 0:
        return 0.0
    u = np.spacing(np.abs(want32)) if want32 != 0 else np.float32(1e-45)
    return float(abs(mp.mpf(float(got)) - want) / mp.mpf(float(u)))


def f32(h): return struct.unpack("<f", struct.pack("<I", int(h, 16)))[0]


ONLY = sys.argv[2].split(",") if len(sys.argv) > 2 else list(REF)
points = "\n".join(repr(float(x)) for x in xs)
for name, (f, df) in REF.items():
    if name not in ONLY:
        continue
    out = subprocess.run(["target/release/examples/eval_points", name], input=points, capture_output=True, text=True, check=True).stdout.split("\n")
    vals = [tuple(f32(c) for c in line.split()) for line in out if line.strip()]
    fe = max(ulp_err(np.float32(v[1]), f(mp.mpf(float(v[0])))) for v in vals)
    de = 0.0
    for v in vals:
        w = df(mp.mpf(float(v[0])))
        if abs(w) < 1e-3:  # as torch_ulp.py: skip points near a root of f'
            continue
        de = max(de, ulp_err(np.float32(v[2]), w))
    print(f"actdiff f32 {name:9s} forward max {fe:8.1f} ULP   derivative max {de:8.1f} ULP  (n={len(vals)})", flush=True)
