"""PyTorch's and JAX's f32 mish forward on every N-th f32 bit pattern (default every
1009th: 4.26 million finite inputs), against the f64 reference the exhaustive sweep
(`cargo run --release --example sweep -- mish`) uses for actdiff: `x·tanh(softplus(x))`
with `softplus(x) = max(x, 0) + log1p(exp(-|x|))` in f64. Prints the maximum error in
ULPs of the correctly rounded f32 value, over all inputs and over (-20, 20). Needs
numpy, torch and jax; nothing in CI runs it:

    taskset -c 0 python tests/oracle/peer_mish_sweep.py [N]
"""
import sys

import jax
import jax.numpy as jnp
import numpy as np
import torch

step = int(sys.argv[1]) if len(sys.argv) > 1 else 1009
bits = np.arange(0, 2**32, step, dtype=np.uint64).astype(np.uint32)
x = bits.view(np.float32)
x = x[np.isfinite(x)]
xd = x.astype(np.float64)
want = xd * np.tanh(np.maximum(xd, 0) + np.log1p(np.exp(-np.abs(xd))))
mag = np.abs(want.astype(np.float32))
exponent = (mag.view(np.uint32) >> 23).astype(np.int32)
ulp = np.where(mag < np.float32(2.0**-126), 2.0**-149, np.ldexp(1.0, exponent - 127 - 23))
main = (x > -20) & (x < 20)

torch.set_num_threads(1)
results = {
    "PyTorch " + torch.__version__: torch.nn.functional.mish(torch.from_numpy(x)).numpy(),
    "JAX " + jax.__version__: np.asarray(
        jax.jit(lambda v: v * jnp.tanh(jax.nn.softplus(v)))(jnp.asarray(x))),
}
for name, got in results.items():
    err = np.abs(got.astype(np.float64) - want) / ulp
    err[np.isnan(got)] = np.inf
    i, j = np.argmax(err), np.argmax(np.where(main, err, 0))
    print(f"{name}: {err[i]:.3f} ULP at x = {x[i]!r}; on (-20, 20) {err[j]:.3f} at x = {x[j]!r}")
