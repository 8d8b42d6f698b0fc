"""PyTorch reference for `calibra bench`: the same architecture, built from the same spec JSON
that Calibra's builders use, timed on the same batch and thread count.

Reads one JSON object on stdin:
  {"spec": <ArchitectureSpec>, "batch": B, "mode": "train" | "bn-stats" | "cached-head",
   "trainable": [group names] (train only), "threads": T, "seconds": S, "channels_last": bool}
and prints {"images_per_second": X, "torch": version, "threads": T} on stdout.
With "profile": true (train and bn-stats), it also prints "profile": where a step's time goes,
from torch.profiler over a few more steps (profile_steps says what each figure is).
"cached-head" also takes "epochs", "n" and the files "pixels" (n x h x w x 3 uint8) and
"labels" (n int32), and times that many epochs of the loop below instead of S seconds.
"recalibrate-exact" takes "n" and "pixels" and times one exact AdaBN of every BN layer over
them (torch_recalibrate.py says what it computes) instead of S seconds.
"""
import json
import sys
import time

import torch
from torch import nn

from torch_recalibrate import exact_recalibration


def make_divisible(value, divisor=8):
    rounded = max(divisor, int((value + divisor / 2) // divisor) * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def conv_bn(cin, cout, k, stride, act, groups=1):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, expansion, stride):
        super().__init__()
        hidden = cin * expansion
        layers = [] if expansion == 1 else [conv_bn(cin, hidden, 1, 1, nn.ReLU6)]
        layers += [conv_bn(hidden, hidden, 3, stride, nn.ReLU6, groups=hidden), conv_bn(hidden, cout, 1, 1, None)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y

    def layerwise(self, run, xs):
        ys = run(self.body, xs)
        return [x + y for x, y in zip(xs, ys)] if self.residual else ys


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, cout, 3, stride, nn.ReLU), conv_bn(cout, cout, 3, 1, None))
        self.down = conv_bn(cin, cout, 1, stride, None) if stride != 1 or cin != cout else nn.Identity()
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.body(x) + self.down(x))

    def layerwise(self, run, xs):
        ys, skips = run(self.body, xs), run(self.down, xs)
        return run(self.relu, [y + s for y, s in zip(ys, skips)])


def build(spec):
    """Returns an nn.Sequential whose children are named like Calibra's groups."""
    groups = []
    if spec["family"] == "mobilenet-v2":
        alpha = spec["alpha"]
        c = make_divisible(32 * alpha)
        groups.append(("stem", conv_bn(3, c, 3, spec["stemStride"], nn.ReLU6)))
        for s, st in enumerate(spec["stages"]):
            out = make_divisible(st["channels"] * alpha)
            blocks = []
            for r in range(st["repeats"]):
                blocks.append(InvertedResidual(c, out, st["expansion"], st["stride"] if r == 0 else 1))
                c = out
            groups.append((f"block{s + 1}", nn.Sequential(*blocks)))
        head_c = make_divisible(spec["headChannels"] * alpha) if alpha > 1 else spec["headChannels"]
        groups.append(("head", nn.Sequential(conv_bn(c, head_c, 1, 1, nn.ReLU6), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(head_c, spec["numClasses"]))))
    elif spec["family"] == "resnet":
        stem = spec["stem"]
        layers = [conv_bn(3, stem["channels"], stem["kernel"], stem["stride"], nn.ReLU)]
        if stem["maxPool"]:
            layers.append(nn.MaxPool2d(3, 2, 1))
        groups.append(("stem", nn.Sequential(*layers)))
        c = stem["channels"]
        for s, st in enumerate(spec["stages"]):
            blocks = []
            for b in range(st["blocks"]):
                blocks.append(BasicBlock(c, st["channels"], st["stride"] if b == 0 else 1))
                c = st["channels"]
            groups.append((f"block{s + 1}", nn.Sequential(*blocks)))
        groups.append(("head", nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, spec["numClasses"]))))
    else:
        raise ValueError(f"unknown family {spec['family']}")
    model = nn.Sequential()
    for name, module in groups:
        model.add_module(name, module)
    return model


def frozen_backbone_epochs(req, model, fmt):
    """PyTorch's transfer-learning tutorial, "ConvNet as fixed feature extractor": every parameter
    but the last Linear's frozen, the backbone in eval mode, SGD(lr=0.001, momentum=0.9) on the
    head, and the backbone run forward on every batch of every epoch. Inputs are scaled to
    [-1, 1] once, before the clock, as Calibra's side also gets its pixels decoded."""
    import numpy as np
    spec, batch, n = req["spec"], req["batch"], req["n"]
    h, w, _ = spec["inputShape"]
    pixels = torch.from_numpy(np.fromfile(req["pixels"], dtype=np.uint8).reshape(n, h, w, 3))
    x = (pixels.permute(0, 3, 1, 2).float() * (2 / 255) - 1).contiguous(memory_format=fmt)
    y = torch.from_numpy(np.fromfile(req["labels"], dtype=np.int32)).long()
    head = model.head[-1]
    for p in model.parameters():
        p.requires_grad_(False)
    for p in head.parameters():
        p.requires_grad_(True)
    opt = torch.optim.SGD(head.parameters(), lr=0.001, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    model.eval()
    with torch.no_grad():
        model(x[:batch])
    start = time.perf_counter()
    for _ in range(req["epochs"]):
        order = torch.randperm(n)
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x[idx].contiguous(memory_format=fmt)), y[idx]).backward()
            opt.step()
    elapsed = time.perf_counter() - start
    return req["epochs"] * n / elapsed


def profile_steps(step, n=5):
    """Self CPU time per step of each op, as torch.profiler records it on the calling thread (an
    op's work on its intra-op threads is inside its own time), and the profiled step's wall
    time. "optimizer" marks ops run inside optimizer.step(), so that Adam's elementwise work is
    not counted as the model's."""
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        start = time.perf_counter()
        for _ in range(n):
            step()
        elapsed = time.perf_counter() - start
    totals = {}
    for event in prof.events():
        parent, in_optimizer = event.cpu_parent, event.name.startswith("Optimizer.")
        while parent is not None and not in_optimizer:
            in_optimizer = parent.name.startswith("Optimizer.")
            parent = parent.cpu_parent
        key = (event.name, in_optimizer)
        ms, calls = totals.get(key, (0.0, 0))
        totals[key] = (ms + event.self_cpu_time_total / 1000, calls + 1)
    ops = [{"op": name, "optimizer": opt, "ms": ms / n, "calls": calls / n} for (name, opt), (ms, calls) in totals.items()]
    ops.sort(key=lambda o: -o["ms"])
    return {"step_ms": elapsed * 1000 / n, "ops": ops}


def main():
    req = json.load(sys.stdin)
    torch.set_num_threads(req["threads"])
    spec, batch = req["spec"], req["batch"]
    h, w, _ = spec["inputShape"]
    model = build(spec)
    if req["mode"] == "count":
        # Lets Calibra check that both sides built the same network.
        params = sum(p.numel() for p in model.parameters())
        buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
        print(json.dumps({"parameters": params, "bn_buffers": buffers}))
        return
    fmt = torch.channels_last if req.get("channels_last", True) else torch.contiguous_format
    model = model.to(memory_format=fmt)
    x = torch.rand(batch, 3, h, w).to(memory_format=fmt)
    whole_runs = {"cached-head": frozen_backbone_epochs, "recalibrate-exact": exact_recalibration}
    if req["mode"] in whole_runs:
        ips = whole_runs[req["mode"]](req, model, fmt)
        print(json.dumps({"images_per_second": ips, "torch": torch.__version__, "threads": req["threads"]}))
        return
    y = torch.randint(0, spec["numClasses"], (batch,))

    if req["mode"] == "train":
        trainable = set(req["trainable"])
        params = []
        for name, module in model.named_children():
            on = name in trainable
            for p in module.parameters():
                p.requires_grad_(on)
                if on:
                    params.append(p)
        opt = torch.optim.Adam(params, lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()

        def step():
            # Frozen groups run BN in inference mode, as Calibra's freeze does.
            model.train()
            for name, module in model.named_children():
                if name not in trainable:
                    module.eval()
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            opt.step()
    else:
        def step():
            model.train()
            with torch.no_grad():
                model(x)

    for _ in range(2):
        step()
    n, start = 0, time.perf_counter()
    while n < 3 or time.perf_counter() - start < req["seconds"]:
        step()
        n += 1
    elapsed = time.perf_counter() - start
    result = {"images_per_second": n * batch / elapsed, "torch": torch.__version__, "threads": req["threads"]}
    if req.get("profile"):
        result["profile"] = profile_steps(step)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
