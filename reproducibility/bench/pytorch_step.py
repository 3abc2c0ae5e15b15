"""The PyTorch side of `./hkd bench`: one training step of KD, CRD+KD and HKD+KD, timed the same way.

Written for this project from docs/methods.md (not the authors' code): the CIFAR ResNets of the zoo
(resnet32x4 teacher, resnet8x4 student), and the three losses as the reference computes them,
including the reference's B x K x d gathers of memory rows for CRD and HKD. The timed region is
what `./hkd bench` times: the frozen teacher's forward (eval mode, no grad), the student's forward,
the loss, backward, SGD (PyTorch's own, momentum 0.9, weight decay 5e-4) and the memory writes.
Batches are made before the clock starts. Random CIFAR-shaped data, 100 classes, N = 50 000.
The teacher's input is contiguous (NCHW) as in the authors' code; --teacher-layout channels-last
gives it the layout ./hkd uses (the copy is inside the timed region, as in ours).

  python pytorch_step.py --methods kd,crd+kd,hkd+kd --threads 2 --json out.json
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

N, CLASSES, D = 50_000, 100, 128


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.down is None else self.down(x)))


class CifarResNet(nn.Module):
    """resnet{depth}x4: widths 32-64-128-256, (depth - 2) / 6 basic blocks per stage."""

    def __init__(self, depth):
        super().__init__()
        n = (depth - 2) // 6
        widths = [32, 64, 128, 256]
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        layers, cin = [], widths[0]
        for i, w in enumerate(widths[1:]):
            blocks = []
            for j in range(n):
                blocks.append(Block(cin, w, (1 if i == 0 else 2) if j == 0 else 1))
                cin = w
            layers.append(nn.Sequential(*blocks))
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(widths[-1], CLASSES)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        pooled = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return pooled, self.fc(pooled)


def l2n(x):
    return F.normalize(x, dim=1)


def kd_loss(s, t, temperature=4.0):
    p_t = F.softmax(t / temperature, dim=1)
    return F.kl_div(F.log_softmax(s / temperature, dim=1), p_t, reduction="batchmean") * temperature ** 2


def bank():
    a = 1.0 / math.sqrt(D / 3)
    return torch.rand(N, D).mul_(2 * a).add_(-a)


class Crd(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.embed_s, self.embed_t = nn.Linear(256, D), nn.Linear(256, D)
        self.register_buffer("m_s", bank())
        self.register_buffer("m_t", bank())
        self.k, self.z_s, self.z_t = k, None, None

    def nce(self, p):
        pn = 1.0 / N
        pos = torch.log(p[:, 0] / (p[:, 0] + self.k * pn + 1e-7))
        neg = torch.log(self.k * pn / (p[:, 1:] + self.k * pn + 1e-7))
        return -(pos.sum() + neg.sum()) / p.shape[0]

    def forward(self, fs, ft, idx, contrast):
        v_s, v_t = l2n(self.embed_s(fs)), l2n(self.embed_t(ft))
        w_s = self.m_s[contrast]  # B x (K+1) x d, as the reference gathers them
        w_t = self.m_t[contrast]
        p_t = torch.exp(torch.bmm(w_s, v_t.unsqueeze(2)).squeeze(2) / 0.07)
        p_s = torch.exp(torch.bmm(w_t, v_s.unsqueeze(2)).squeeze(2) / 0.07)
        if self.z_s is None:
            self.z_s, self.z_t = (p_s.mean() * N).item(), (p_t.mean() * N).item()
        loss = self.nce(p_s / self.z_s) + self.nce(p_t / self.z_t)
        return loss, (idx, v_s.detach(), v_t.detach())

    @torch.no_grad()
    def write(self, update):
        idx, v_s, v_t = update
        self.m_s[idx] = l2n(0.5 * self.m_s[idx] + 0.5 * v_s)
        self.m_t[idx] = l2n(0.5 * self.m_t[idx] + 0.5 * v_t)


class Hkd(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.embed_s, self.embed_t = nn.Linear(256, D), nn.Linear(256, D)
        self.gnn_s, self.gnn_t = nn.Linear(2 * D, D), nn.Linear(2 * D, D)
        self.register_buffer("m_s", bank())
        self.register_buffer("m_t", bank())
        self.k = k

    @staticmethod
    def contrast(anchor, positive, negatives):
        pos = (positive * anchor).sum(1, keepdim=True)
        neg = torch.bmm(negatives, anchor.unsqueeze(2)).squeeze(2)
        scores = torch.cat([pos, neg], 1) / 0.07
        return F.cross_entropy(scores, torch.zeros(anchor.shape[0], dtype=torch.long))

    @staticmethod
    def graph_mean(logits, z, knn=8):
        p = F.softmax(logits.detach(), dim=1)
        pn = l2n(p)
        dist = 1 - pn @ pn.t()
        dist.fill_diagonal_(-1)
        nbr = dist.topk(knn, dim=1, largest=False).indices  # self first
        return z[nbr].mean(1)

    def forward(self, fs, ft, ls, lt, idx, negatives):
        z_s, z_t = l2n(self.embed_s(fs)), l2n(self.embed_t(ft))
        n_s, n_t = self.m_s[negatives], self.m_t[negatives]  # B x K x d each: the reference's gather
        p_s, p_t = self.m_s[idx], self.m_t[idx]
        ind = self.contrast(z_s, p_t, n_s) + self.contrast(z_t, p_s, n_t)
        g_s = l2n(self.gnn_s(torch.cat([z_s, self.graph_mean(ls, z_s)], 1)))
        g_t = l2n(self.gnn_t(torch.cat([z_t, self.graph_mean(lt, z_t)], 1)))
        q_s = l2n(0.75 * p_s + 0.25 * g_s.detach())
        q_t = l2n(0.75 * p_t + 0.25 * g_t.detach())
        graph = self.contrast(g_s, q_t, n_s) + self.contrast(g_t, q_s, n_t)
        return ind + graph, (idx, z_s.detach(), z_t.detach())

    @torch.no_grad()
    def write(self, update):
        idx, z_s, z_t = update
        self.m_s[idx] = l2n(0.9 * self.m_s[idx] + 0.1 * z_s)
        self.m_t[idx] = l2n(0.9 * self.m_t[idx] + 0.1 * z_t)


def negatives_for(labels_all, labels, k, generator):
    """K indices of other classes per sample, without replacement (the sampler's law)."""
    rows = []
    for y in labels.tolist():
        pool = (labels_all != y).nonzero().squeeze(1)
        rows.append(pool[torch.randperm(pool.numel(), generator=generator)[:k]])
    return torch.stack(rows)


def run(method, batch, k, warmup, steps, teacher_layout="contiguous"):
    torch.manual_seed(1)
    teacher, student = CifarResNet(32).eval(), CifarResNet(8).train()
    for p in teacher.parameters():
        p.requires_grad_(False)
    extra = {"kd": None, "crd+kd": Crd(k), "hkd+kd": Hkd(k)}[method]
    params = list(student.parameters()) + ([] if extra is None else list(extra.parameters()))
    sgd = torch.optim.SGD(params, lr=0.05, momentum=0.9, weight_decay=5e-4)
    g = torch.Generator().manual_seed(1)
    labels_all = torch.randint(0, CLASSES, (N,), generator=g)
    batches = []
    for _ in range(warmup + steps):
        idx = torch.randperm(N, generator=g)[:batch]
        neg = None
        if method != "kd":
            neg = negatives_for(labels_all, labels_all[idx], k, g)
            if method == "crd+kd":
                neg = torch.cat([idx.unsqueeze(1), neg], 1)
        batches.append((torch.randn(batch, 3, 32, 32, generator=g), labels_all[idx], idx, neg))
    times = []
    for i, (x, y, idx, neg) in enumerate(batches):
        t0 = time.perf_counter()
        with torch.no_grad():
            ft, lt = teacher(x if teacher_layout == "contiguous" else x.contiguous(memory_format=torch.channels_last))
        fs, ls = student(x)
        loss = F.cross_entropy(ls, y) + kd_loss(ls, lt)
        update = None
        if method == "crd+kd":
            term, update = extra(fs, ft, idx, neg)
            loss = loss + 0.8 * term
        elif method == "hkd+kd":
            term, update = extra(fs, ft, ls, lt, idx, neg)
            loss = loss + 3 * term
        sgd.zero_grad(set_to_none=True)
        loss.backward()
        sgd.step()
        if update is not None:
            extra.write(update)
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"method": method, "median_ms": statistics.median(times), "p10_ms": times[int(0.1 * (len(times) - 1))],
            "p90_ms": times[int(0.9 * (len(times) - 1))],
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--methods", default="kd,crd+kd,hkd+kd")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--negatives", type=int, default=16384)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--teacher-layout", choices=["contiguous", "channels-last"], default="contiguous",
                    help="memory layout of the frozen teacher's input: contiguous (the authors' code) or channels-last"
                         " (what ./hkd does)")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    results = [run(m, a.batch, a.negatives, a.warmup, a.steps, a.teacher_layout) for m in a.methods.split(",")]
    for r in results:
        print("%-8s median %8.1f ms  p10 %8.1f  p90 %8.1f  peak RSS %d MiB" % (r["method"], r["median_ms"], r["p10_ms"], r["p90_ms"], r["peak_rss_mib"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"torch": torch.__version__, "threads": a.threads, "teacher_layout": a.teacher_layout, "results": results},
                      f, indent=1)


if __name__ == "__main__":
    main()
