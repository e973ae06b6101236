"""Reference numbers for the PyTorch parity test in Tests/IDCCoreTests/AdamTests.swift.

A tiny head (D = 3, hidden 4, C = 3) with fixed weights takes three Adam steps
(lr 0.01, weight decay 1e-4, L2 as torch.optim.Adam) on one batch of seven
rows: rows 0-1 positive (clusters 0, 2; class-balanced cross-entropy), rows
2-3 negative (rejected 1, 0; -log(max(1 - p, 1e-5))), rows 4-6 confident
(class-balanced cross-entropy on pseudo-labels above tau = 0.4, from the
detached output) — the official IDC code's losses. Prints the total loss of
every step and the final parameters in idc's flat order (W1, b1, W2, b2).

usage: .bench-venv/bin/python scripts/torch-head-parity.py
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

D, H, C, TAU = 3, 4, 3, 0.4


def balanced_cross_entropy(logits, target):
    idx, counts = torch.unique(target, return_counts=True)
    weight = torch.ones(C)
    weight[idx] = target.shape[0] / counts.float()
    return F.cross_entropy(logits, target, weight=weight)


def main():
    torch.set_default_dtype(torch.float32)
    model = nn.Sequential(nn.Linear(D, H), nn.ReLU(), nn.Linear(H, C))
    flat = [0.5 * math.sin(1.3 * k + 0.7) for k in range(H * D + H + C * H + C)]
    with torch.no_grad():
        offset = 0
        for p in model.parameters():
            n = p.numel()
            p.copy_(torch.tensor(flat[offset:offset + n]).view_as(p))
            offset += n
    x = torch.tensor([[math.cos(0.9 * (r * D + j) + 0.2) for j in range(D)] for r in range(7)])
    pos_label = torch.tensor([0, 2])
    neg_target = torch.tensor([1, 0])
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)
    for step in range(3):
        logits = model(x)
        loss = balanced_cross_entropy(logits[0:2], pos_label)
        prob = F.softmax(logits[2:4], dim=1)
        loss = loss + F.nll_loss(torch.log(torch.clamp_min(1 - prob, 1e-5)), neg_target)
        with torch.no_grad():
            confidence, pseudo = F.softmax(logits[4:7], dim=1).max(dim=1)
            mask = confidence > TAU
        if bool(mask.any()):
            loss = loss + balanced_cross_entropy(logits[4:7][mask], pseudo[mask])
        print(f"step {step}: loss {loss.item():.9g}, confident {int(mask.sum())}")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    params = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    print("[" + ", ".join(f"{v:.9g}" for v in params.tolist()) + "]")


if __name__ == "__main__":
    main()
