#!/usr/bin/python3
"""Would a small convolutional network on candidate patches transfer better across renderer
families than the forest on measured features? (issue 24, item 6)

usage: tools/studies/patch-cnn.py [--units noise|od] [--epochs 4] [--patch 15]

The same candidates, labels and scoring as tools/studies/photo-relative-features.py (its
cache of `analyze --write-candidates` output, default options; labels by greedy matching
within max(3 px, 1.5 radius); F1 over the treated photos with recall counting required
punctures without a candidate as missed; false candidates accepted per MP on untreated
skin), but each candidate is decided from its pixels: a patch x patch window of the photo's
optical density (-log10 of linear RGB, per channel) around it, minus the median of the
window's border per channel (the local skin), and with --units noise divided per channel by
the photo's own noise (1.4826 MAD of horizontal neighbour differences / sqrt 2: units of
the photo itself, issue 24 item 2) - with --units od left in OD. Network: three 3x3
convolutions (16, 32, 32 channels, ReLU, one 2x2 max-pool), global mean and max pooling, a
linear layer; trained with Adam (lr 1e-3, batch 512) on every positive and three negatives
per positive drawn at random, with colour augmentation (each channel scaled by 1 +- 0.15
and a 3x3 mixing of +-0.05, per patch: other cameras' spectra); the threshold by the best
F1 on the 20 % of training photos held back (every fifth). Trained on the tuning sets of
two families, scored on the third's test set (leave one family out), one-stage like the
stand-in forest: compare with its rows, not with the two-stage classifier's. Needs Debian's
python3-torch, python3-sklearn, python3-scipy, python3-skimage.
"""
import argparse
import importlib.util
import os
import sys

import numpy as np
import torch
from skimage import io

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
spec = importlib.util.spec_from_file_location("relative", os.path.join(root, "tools", "studies", "photo-relative-features.py"))
relative = importlib.util.module_from_spec(spec)
spec.loader.exec_module(relative)

torch.manual_seed(20261207)
RNG = np.random.default_rng(20261207)


def optical_density(path):
    v = io.imread(path)[:, :, :3].astype(np.float32) / 255
    linear = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
    return -np.log10(np.maximum(linear, 1 / 4096)).astype(np.float32)  # H x W x RGB


def photo_noise(od):
    d = (od[:, 1:, :] - od[:, :-1, :]).reshape(-1, 3)
    med = np.median(d, axis=0)
    return np.maximum(1.4826 * np.median(np.abs(d - med), axis=0) / np.sqrt(2), 1e-4)


def patches(od, rows, size, units):
    h = size // 2
    padded = np.pad(od, ((h, h), (h, h), (0, 0)), mode="reflect")
    xs = np.clip(np.round([float(r["x"]) for r in rows]).astype(int), 0, od.shape[1] - 1)
    ys = np.clip(np.round([float(r["y"]) for r in rows]).astype(int), 0, od.shape[0] - 1)
    out = np.empty((len(rows), 3, size, size), np.float32)
    border = np.ones((size, size), bool)
    border[1:-1, 1:-1] = False
    scale = photo_noise(od) if units == "noise" else np.ones(3, np.float32)
    for i, (x, y) in enumerate(zip(xs, ys)):
        w = padded[y:y + size, x:x + size, :]
        w = (w - np.median(w[border], axis=0)) / scale
        out[i] = w.transpose(2, 0, 1)
    return out


def load_photos(kind, family, args, sample_every=None):
    """A set's photos, one dict each: patches, labels, required count, treated flag, MP. With
    sample_every=k, all but every k-th photo keep only their positives and three negatives
    per positive (what training draws from; the k-th photos keep everything, to choose the
    threshold on)."""
    items = []
    src = relative.set_dir(kind, family)
    for i, (stem, (truth, rows)) in enumerate(sorted(relative.candidates_of(kind, family).items())):
        labels, required = relative.labels_of(truth, rows)
        for_fit = sample_every is not None and i % sample_every != sample_every - 1
        keep = np.arange(len(rows))
        if for_fit:
            pos, neg = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
            neg = RNG.choice(neg, min(len(neg), 3 * max(1, len(pos))), replace=False) if len(neg) else neg
            keep = np.concatenate([pos, neg])
        od = optical_density(os.path.join(src, truth["scene"]["image"]))
        kept_rows = [rows[j] for j in keep]
        x = patches(od, kept_rows, args.patch, args.units) if kept_rows else np.zeros((0, 3, args.patch, args.patch), np.float32)
        items.append({"x": x.astype(np.float16), "labels": labels[keep], "required": required, "fit": for_fit,
                      "treated": truth["scene"]["kind"] != "skin-untreated",
                      "mp": truth["scene"]["width"] * truth["scene"]["height"] / 1e6})
    print(f"loaded {kind}-{family}: {len(items)} photos, {sum(len(p['x']) for p in items)} patches kept",
          file=sys.stderr, flush=True)
    return items


def network():
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 32, 3, padding=1), torch.nn.ReLU(),
        PoolBoth(), torch.nn.Linear(64, 1))


class PoolBoth(torch.nn.Module):
    def forward(self, x):
        return torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)


def augment(x):
    n = x.shape[0]
    mix = torch.eye(3).expand(n, 3, 3) + (torch.rand(n, 3, 3) - 0.5) * 0.1
    mix = mix * (1 + (torch.rand(n, 3, 1) - 0.5) * 0.3)
    return torch.einsum("nij,njhw->nihw", mix, x)


def train(items, args):
    x = torch.from_numpy(np.concatenate([p["x"] for p in items]).astype(np.float32))
    y = torch.from_numpy(np.concatenate([(p["labels"] == 1).astype(np.float32) for p in items]))
    keep = torch.from_numpy(np.concatenate([p["labels"] >= 0 for p in items]))
    x, y = x[keep], y[keep]
    model = network()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for epoch in range(args.epochs):
        order = torch.randperm(len(x))
        total = 0.0
        for k in range(0, len(x), 512):
            idx = order[k:k + 512]
            opt.zero_grad()
            loss = loss_fn(model(augment(x[idx])).squeeze(1), y[idx])
            loss.backward()
            opt.step()
            total += float(loss) * len(idx)
        print(f"  epoch {epoch + 1}: loss {total / len(x):.4f} on {len(x)} patches", file=sys.stderr, flush=True)
    return model.eval()


def scores(model, items):
    out = []
    with torch.no_grad():
        for p in items:
            s = [torch.sigmoid(model(torch.from_numpy(p["x"][k:k + 4096].astype(np.float32)))).squeeze(1).numpy()
                 for k in range(0, len(p["x"]), 4096)]
            out.append(np.concatenate(s) if s else np.zeros(0))
    return out


def report(items, photo_scores, threshold):
    tp = fp = fn = 0
    untreated_fp = untreated_mp = 0.0
    for p, s in zip(items, photo_scores):
        accepted = s >= threshold
        if p["treated"]:
            t = int(np.sum(accepted & (p["labels"] == 1)))
            tp, fp, fn = tp + t, fp + int(np.sum(accepted & (p["labels"] == 0))), fn + p["required"] - t
        else:
            untreated_fp += float(np.sum(accepted & (p["labels"] == 0)))
            untreated_mp += p["mp"]
    return {"p": tp / max(1, tp + fp), "r": tp / max(1, tp + fn), "f1": 2 * tp / max(1, 2 * tp + fp + fn),
            "fp_per_mp": untreated_fp / max(1e-9, untreated_mp)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", default="noise", choices=["noise", "od"])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--patch", type=int, default=15)
    args = parser.parse_args()
    torch.set_num_threads(2)
    tune = {f: load_photos("tune", f, args, sample_every=5) for f in "abc"}
    print(f"patch CNN, units {args.units}; cells: F1 (P, R) / false candidates accepted per MP on untreated skin")
    print("| trained on (tuning sets) | threshold | held-out test set |")
    print("| --- | --- | --- |")
    for held_out in "abc":
        trained_on = [f for f in "abc" if f != held_out]
        items = [p for f in trained_on for p in tune[f]]
        model = train([p for p in items if p["fit"]], args)
        check_items = [p for p in items if not p["fit"]]
        check_scores = scores(model, check_items)
        threshold = max(np.arange(0.05, 0.951, 0.01), key=lambda t: report(check_items, check_scores, t)["f1"])
        test = load_photos("test", held_out, args)
        r = report(test, scores(model, test), threshold)
        del test
        print(f"| {' + '.join(trained_on)} | {threshold:.2f} | {held_out.upper()}: {r['f1']:.3f} ({r['p']:.3f}, "
              f"{r['r']:.3f}) / {r['fp_per_mp']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
