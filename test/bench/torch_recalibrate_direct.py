"""The PyTorch side of the exact-recalibration bench case against the definition, computed the
slow direct way: for each BN layer in turn, one eval-mode forward of every image at once, its
input captured by a hook and reduced in float64 with two passes, upstream layers already set.

argv: the bench directory, a spec JSON. Prints the largest relative difference per layer."""
import json
import sys

import torch
from torch import nn

sys.path.insert(0, sys.argv[1])
from torch_reference import build  # noqa: E402
from torch_recalibrate import LayerwisePass  # noqa: E402


def twin(spec):
    torch.manual_seed(0)
    model = build(spec).eval()
    for bn in bns(model):
        # Held statistics far from the data's, so a layer left alone is told apart.
        bn.running_mean.uniform_(-3, 3)
        bn.running_var.uniform_(0.2, 5)
    return model


def bns(model):
    return [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]


def main():
    spec = json.loads(sys.argv[2])
    h, w, _ = spec["inputShape"]
    torch.manual_seed(1)
    x = torch.randn(10, 3, h, w) * 1.5 + 0.5
    with torch.no_grad():
        timed = twin(spec)
        LayerwisePass(timed).run(timed, [x[i:i + 4] for i in range(0, 10, 4)])
        direct = twin(spec)
        report = []
        for got, bn in zip(bns(timed), bns(direct)):
            seen = []
            hook = bn.register_forward_pre_hook(lambda _m, inputs: seen.append(inputs[0].double()))
            direct(x)
            hook.remove()
            a = seen[0]
            mean = a.mean(dim=(0, 2, 3))
            var = ((a - mean.view(1, -1, 1, 1)) ** 2).sum(dim=(0, 2, 3)) / (a.numel() // a.shape[1] - 1)
            bn.running_mean.copy_(mean)
            bn.running_var.copy_(var)
            sd = var.sqrt()
            report.append({
                "mean": ((got.running_mean.double() - mean).abs() / torch.maximum(mean.abs(), sd)).max().item(),
                "variance": ((got.running_var.double() - var).abs() / var).max().item(),
            })
    print(json.dumps(report))


if __name__ == "__main__":
    main()
