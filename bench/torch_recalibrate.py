"""The `recalibrate-exact` bench case on PyTorch's side: exact AdaBN, as Calibra's
`recalibrate --mode exact` computes it, done the way PyTorch does it best on one machine.

The network runs layer by layer over the whole image set, held as a list of batches, under
no_grad and in eval mode, so every module runs once per image (Calibra's cost with its
activation cache: about one forward pass). At each BatchNorm2d, before it runs, the per-channel
mean and variance of its input over every image replace its running statistics: per batch
from PyTorch's BN statistics kernel (float32), merged across batches exactly in float64 (Chan's
parallel update, with the between-batch term), the variance stored unbiased (count - 1), as
Calibra stores it. (Calibra takes each batch's moments in float64, two passes, on the JS side.) The layer then normalises with them, so each BN layer downstream is measured on what
it sees at inference. Nothing after the last BN layer runs (Calibra stops there too).

Why not `momentum=None` in train mode: its running_var is the mean of the batches' unbiased
variances (no between-batch term) and it weights a short last batch like a full one, so it is
not the population variance; and a BN in train mode normalises downstream layers with batch
statistics, which is `fast` mode's semantics, not exact mode's.

Blocks with a skip connection say how their parts combine over a list of batches through a
`layerwise(run, xs)` method; every other module either holds children run in order
(nn.Sequential) or is a leaf applied batch by batch.
"""
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def batch_moments(x):
    """A batch's per-channel mean and unbiased variance from PyTorch's own BN statistics kernel
    (batch_norm in training mode with momentum 1 writes them into the running buffers): on
    CPU it is 3-10x faster than torch.var_mean over (0, 2, 3), which would be the obvious call."""
    c = x.shape[1]
    mean, var = torch.zeros(c), torch.ones(c)
    F.batch_norm(x, mean, var, None, None, True, 1.0, 0.0)
    return mean, var


def population_moments(xs):
    """Per-channel mean and unbiased variance over every value of every batch (N, C, H, W)."""
    count, mean, m2 = 0, None, None
    for x in xs:
        m, var = batch_moments(x)
        n = x.shape[0] * x.shape[2] * x.shape[3]
        m, s = m.double(), var.double() * (n - 1)
        if count == 0:
            count, mean, m2 = n, m, s
            continue
        total = count + n
        delta = m - mean
        mean = mean + delta * (n / total)
        m2 = m2 + s + delta * delta * (count * n / total)
        count = total
    return mean, m2 / max(count - 1, 1)


class LayerwisePass:
    def __init__(self, model):
        self.left = sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())

    def run(self, module, xs):
        if self.left == 0:
            return xs
        if isinstance(module, nn.BatchNorm2d):
            mean, var = population_moments(xs)
            module.running_mean.copy_(mean)
            module.running_var.copy_(var)
            self.left -= 1
            return xs if self.left == 0 else [module(x) for x in xs]
        if hasattr(module, "layerwise"):
            return module.layerwise(self.run, xs)
        if isinstance(module, nn.Sequential):
            for child in module:
                xs = self.run(child, xs)
            return xs
        return [module(x) for x in xs]


def exact_recalibration(req, model, fmt):
    """Images per second of one exact recalibration of every BN layer over req's pixels, scaled
    to [-1, 1] and batched before the clock, as Calibra's side gets its pixels decoded."""
    spec, batch, n = req["spec"], req["batch"], req["n"]
    h, w, _ = spec["inputShape"]
    pixels = torch.from_numpy(np.fromfile(req["pixels"], dtype=np.uint8).reshape(n, h, w, 3))
    x = pixels.permute(0, 3, 1, 2).float() * (2 / 255) - 1
    xs = [x[i:i + batch].contiguous(memory_format=fmt) for i in range(0, n, batch)]
    model.eval()
    with torch.no_grad():
        model(xs[0])
        start = time.perf_counter()
        layerwise = LayerwisePass(model)
        layerwise.run(model, xs)
        elapsed = time.perf_counter() - start
    if layerwise.left != 0:
        raise RuntimeError(f"{layerwise.left} BN layers were not reached")
    return n / elapsed
