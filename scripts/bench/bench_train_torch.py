"""PyTorch CPU doing the work idc's HeadTrainer does, for scripts/bench.sh (its train step).

Same head (Linear(D, 512) -> ReLU -> Linear(512, C)), same initial fit
(cross-entropy to the pre-trained assignment, Adam lr 1e-3, batch 500 from
successive permutations), same finetuning (Adam lr 1e-3, weight decay 1e-4;
per epoch the answered samples are shuffled and cut into queried batches of
min(100, M); each step also takes the next 500 samples of a fresh permutation
of all N; one forward pass over the step's rows; class-balanced L_pos,
L_neg = -log(max(1 - p, 1e-5)) with the rejected cluster re-drawn per step,
class-balanced L_reg on rows above tau = 0.99 with pseudo-labels from the
detached output), and the same answer rule as BenchTrain (see its main.swift).

usage: bench_train_torch.py FEATURES.npy LABELS.npy [--epochs 100] [--answers 500]
                            [--runs 3] [--init-steps 2000] [--threads 2]
"""

import argparse
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def balanced_cross_entropy(logits, target, classes):
    """The official IDC code's class-balanced cross-entropy."""
    idx, counts = torch.unique(target, return_counts=True)
    weight = torch.ones(classes)
    weight[idx] = target.shape[0] / counts.float()
    return F.cross_entropy(logits, target, weight=weight)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("labels")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--init-steps", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    x = np.load(args.features).astype(np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x = x / np.where(norms > 0, norms, 1)
    labels = np.load(args.labels).astype(np.int64)
    n, d = x.shape
    classes = int(labels.max()) + 1
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(labels)

    m = min(args.answers, n)
    anchors = (7919 * np.arange(m) + 13) % n
    positive = np.arange(m) % 10 < 7
    query_anchor = torch.from_numpy(anchors)
    query_label = torch.from_numpy(np.where(positive, labels[anchors], -1))
    query_rejected = torch.from_numpy((labels[anchors][:, None] + np.arange(1, 6)[None, :]) % classes)
    hidden, tau, init_batch, confident_batch = 512, 0.99, 500, 500
    queried = min(100, m)
    steps_per_epoch = math.ceil(m / queried)

    print(f"torch {torch.__version__}: N={n} D={d} C={classes} hidden={hidden} M={m} epochs={args.epochs} "
          f"init_steps={args.init_steps} threads={torch.get_num_threads()}")
    init_times, finetune_times = [], []
    for run in range(1, args.runs + 1):
        torch.manual_seed(0)
        generator = torch.Generator().manual_seed(0)
        model = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, classes))

        start = time.perf_counter()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        perm, position = torch.randperm(n, generator=generator), 0
        for _ in range(args.init_steps):
            if position + init_batch > n:
                perm, position = torch.randperm(n, generator=generator), 0
            idx = perm[position:position + init_batch]
            position += init_batch
            loss = F.cross_entropy(model(xt[idx]), yt[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        init_seconds = time.perf_counter() - start

        start = time.perf_counter()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
        steps = 0
        for _ in range(args.epochs):
            order = torch.randperm(m, generator=generator)
            cperm, cposition = torch.randperm(n, generator=generator), 0
            for s in range(steps_per_epoch):
                chunk = order[s * queried:(s + 1) * queried]
                anchor, label = query_anchor[chunk], query_label[chunk]
                is_positive = label >= 0
                pos_anchor, pos_label = anchor[is_positive], label[is_positive]
                neg_anchor, neg_rejected = anchor[~is_positive], query_rejected[chunk][~is_positive]
                pick = torch.randint(0, neg_rejected.shape[1], (neg_anchor.shape[0], 1), generator=generator)
                neg_target = neg_rejected.gather(1, pick).view(-1)
                if cposition + confident_batch > n:
                    cperm, cposition = torch.randperm(n, generator=generator), 0
                confident = cperm[cposition:cposition + confident_batch]
                cposition += confident_batch

                batch = torch.cat([pos_anchor, neg_anchor, confident])
                logits = model(xt[batch])
                p, q = pos_anchor.shape[0], neg_anchor.shape[0]
                loss = torch.zeros(())
                if p > 0:
                    loss = loss + balanced_cross_entropy(logits[:p], pos_label, classes)
                if q > 0:
                    prob = F.softmax(logits[p:p + q], dim=1)
                    loss = loss + F.nll_loss(torch.log(torch.clamp_min(1 - prob, 1e-5)), neg_target)
                conf_logits = logits[p + q:]
                with torch.no_grad():
                    confidence, pseudo = F.softmax(conf_logits, dim=1).max(dim=1)
                    mask = confidence > tau
                if bool(mask.any()):
                    loss = loss + balanced_cross_entropy(conf_logits[mask], pseudo[mask], classes)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                steps += 1
        finetune_seconds = time.perf_counter() - start

        with torch.no_grad():
            prediction = model(xt).argmax(dim=1)
        agreement = float((prediction == yt).float().mean())
        init_times.append(init_seconds)
        finetune_times.append(finetune_seconds)
        print(f"torch run {run}: init {init_seconds:.3f} s, finetune {finetune_seconds:.3f} s "
              f"({steps} steps, agreement {agreement:.4f})")
    print(f"torch median: init {float(np.median(init_times)):.3f} s, finetune {float(np.median(finetune_times)):.3f} s")


if __name__ == "__main__":
    main()
