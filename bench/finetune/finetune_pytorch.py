"""The PyTorch side of `make bench-finetune` (bench/finetune/finetune.sh), and its corrections.

    finetune_pytorch.py corrections --mnist DIR --out LABELS [--per-digit 50]
        writes LABELS/0..9/*.png: PER-DIGIT MNIST *training* digits of each class rendered
        as scans (inverted to dark ink on light paper, enlarged 3x, margins of 6-14 px,
        paper noise σ=3), made in the bench run and never committed. They are taken from
        the last 10,000 training images and never at an index digitd replays (its
        finetune.mnist replay is the training images 0, 12, 24, ...: the first
        mnist_replay = 5000 evenly spaced). Prints one JSON object.
    finetune_pytorch.py run --labels LABELS --mnist DIR --weights seedcnn.f32 [--epochs 10] [--seed S]
        the job one digitd fine-tune does (DigitdCore/FineTuner.swift), the obvious torch
        way, on the same corrections and the same replay and general sets:
          - corrections decoded with Pillow and normalized to 28x28 by
            bench/imaging/imaging_pillow.py's normalize (digitd's normalization in numpy);
            untimed, as digitd decodes them before its fine-tune's clock starts
          - a stratified holdout_fraction 0.2 of each digit's corrections held out
          - training set: the other corrections + replay_ratio 4 x as many replay images,
            drawn at random from MNIST train images 0, 12, 24, ... (5000, digitd's
            mnist_replay) ; the general set: MNIST test images 0, 5, 10, ... (2000)
          - EPOCHS epochs, batch 32 (the last batch of an epoch partial), reshuffled each
            epoch, every batch augmented (rotation ±12°, shift ±2 px, scale 1±0.12:
            network_model.augment, affine_grid + grid_sample), cross-entropy, Adam lr 1e-3,
            linear warm-up 20 steps then cosine to 0.01x (TrainingOptions.learningRate)
          - the candidate = base + 0.7 (tuned - base); base and candidate evaluated on the
            held-out corrections and the general set (batches of 256, inference_mode)
        Timed (`seconds`): from the split to the last evaluation, as digitd's report's
        `seconds`. One untimed warm-up training step on a throwaway copy first (PyTorch's
        lazy oneDNN/allocator set-up is not counted against it). torch's default threads
        (2 on this machine), recorded. Prints one JSON object.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/
from network.network_model import SeedCNN, augment, load_f32, mnist  # noqa: E402

REPLAY_STEP, REPLAY_COUNT = 12, 5000    # digitd: the first mnist_replay evenly spaced train images
GENERAL_STEP, GENERAL_COUNT = 5, 2000   # digitd: general_size evenly spaced test images


def corrections(args) -> int:
    from PIL import Image

    images, labels = mnist(args.mnist, "train")
    rng = np.random.default_rng(20261201)
    taken = {d: 0 for d in range(10)}
    written = 0
    for i in range(50000, 60000):
        d = int(labels[i])
        if i % REPLAY_STEP == 0 or taken[d] >= args.per_digit:
            continue
        taken[d] += 1
        big = np.asarray(Image.fromarray(images[i]).resize((84, 84), Image.BILINEAR), dtype=np.float32) / 255  # 1 = ink
        m = [int(v) for v in rng.integers(6, 15, 4)]                  # left, top, right, bottom
        h, w = 84 + m[1] + m[3], 84 + m[0] + m[2]
        page = 232 + rng.normal(0, 3, (h, w)).astype(np.float32)
        region = page[m[1]:m[1] + 84, m[0]:m[0] + 84]
        page[m[1]:m[1] + 84, m[0]:m[0] + 84] = region * (1 - big) + 40 * big
        folder = os.path.join(args.out, str(d))
        os.makedirs(folder, exist_ok=True)
        Image.fromarray(np.clip(page, 0, 255).round().astype(np.uint8), "L").save(
            os.path.join(folder, f"fix-{i:05d}.png"))
        written += 1
        if written == 10 * args.per_digit:
            break
    print(json.dumps({"corrections": written, "per_digit": taken, "source": "MNIST train 50000..59999, not i % 12 == 0"}))
    return 0


def load_corrections(folder: str):
    """(float32 [N,28,28] in [0,1], labels [N]) of LABELS/0..9/*.png, normalized as digitd does."""
    from PIL import Image
    from imaging.imaging_pillow import normalize

    pixels, digits = [], []
    for d in range(10):
        path = os.path.join(folder, str(d))
        for name in sorted(os.listdir(path)) if os.path.isdir(path) else []:
            with open(os.path.join(path, name), "rb") as f:
                x = normalize(np.asarray(Image.open(f).convert("L")))
            if x is not None:
                pixels.append(x)
                digits.append(d)
    return np.stack(pixels).astype(np.float32), np.array(digits, dtype=np.int64)


def learning_rate(step: int, total: int, peak=1e-3, warmup_steps=20, final=0.01) -> float:
    """TrainingOptions.learningRate: linear warm-up, then cosine from peak to final x peak."""
    warmup = min(warmup_steps, total // 10)
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * final + (peak - peak * final) * 0.5 * (1 + math.cos(math.pi * progress))


def accuracy(model, x01: torch.Tensor, labels: torch.Tensor) -> float:
    model.eval()
    correct = 0
    with torch.inference_mode():
        for first in range(0, x01.shape[0], 256):
            correct += int((model(x01[first:first + 256]).argmax(1) == labels[first:first + 256]).sum())
    return correct / max(1, x01.shape[0])


def run(args) -> int:
    fixes, fix_labels = load_corrections(args.labels)
    train_u8, train_labels = mnist(args.mnist, "train")
    test_u8, test_labels = mnist(args.mnist, "t10k")
    replay_u8 = train_u8[:REPLAY_STEP * REPLAY_COUNT:REPLAY_STEP]
    replay_labels = train_labels[:REPLAY_STEP * REPLAY_COUNT:REPLAY_STEP].astype(np.int64)
    general = torch.from_numpy(test_u8[:GENERAL_STEP * GENERAL_COUNT:GENERAL_STEP].copy()).unsqueeze(1).float().div_(255)
    general_labels = torch.from_numpy(test_labels[:GENERAL_STEP * GENERAL_COUNT:GENERAL_STEP].astype(np.int64))
    base = load_f32(SeedCNN(), args.weights)
    base_state = {k: v.clone() for k, v in base.state_dict().items()}

    # Untimed warm-up: one training step on a throwaway copy.
    warm = SeedCNN()
    warm.load_state_dict(base_state)
    warm_opt = torch.optim.Adam(warm.parameters(), lr=1e-3)
    x = torch.rand(args.batch, 1, 28, 28)
    F.cross_entropy(warm(x), torch.arange(args.batch) % 10).backward()
    warm_opt.step()
    accuracy(warm, general[:256], general_labels[:256])
    del warm, warm_opt

    generator = torch.Generator().manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    # Stratified split: holdout_fraction of each digit's corrections held out.
    train_index, held_index = [], []
    for d in range(10):
        group = rng.permutation(np.flatnonzero(fix_labels == d))
        held = int(round(len(group) * args.holdout))
        held_index += list(group[:held])
        train_index += list(group[held:])
    replay_count = min(len(replay_u8), int(len(train_index) * args.replay_ratio))
    picks = rng.permutation(len(replay_u8))[:replay_count]
    images = torch.cat([torch.from_numpy(fixes[train_index]),
                        torch.from_numpy(replay_u8[picks].copy()).float().div_(255)]).unsqueeze(1)
    labels = torch.cat([torch.from_numpy(fix_labels[train_index]), torch.from_numpy(replay_labels[picks])])
    held_x = torch.from_numpy(fixes[held_index]).unsqueeze(1)
    held_y = torch.from_numpy(fix_labels[held_index])

    model = SeedCNN()
    model.load_state_dict(base_state)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    steps_per_epoch = (images.shape[0] + args.batch - 1) // args.batch
    total = steps_per_epoch * args.epochs
    step, loss_sum, seen = 0, 0.0, 0
    for _ in range(args.epochs):
        model.train()
        order = torch.randperm(images.shape[0], generator=generator)
        loss_sum, seen = 0.0, 0
        for first in range(0, images.shape[0], args.batch):
            index = order[first:first + args.batch]
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, total)
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(augment(images[index], generator, rotation=12.0, shift=2.0, scale=0.12)),
                                   labels[index])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * index.numel()
            seen += index.numel()
            step += 1
    trained_seconds = time.perf_counter() - start

    with torch.no_grad():
        tuned = model.state_dict()
        candidate = SeedCNN()
        candidate.load_state_dict({k: base_state[k] + args.interpolation * (tuned[k] - base_state[k]) for k in base_state})
    base_model = SeedCNN()
    base_model.load_state_dict(base_state)
    before = {"heldOut": accuracy(base_model, held_x, held_y), "general": accuracy(base_model, general, general_labels)}
    after = {"heldOut": accuracy(candidate, held_x, held_y), "general": accuracy(candidate, general, general_labels)}
    seconds = time.perf_counter() - start
    print(json.dumps({
        "side": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "seconds": round(seconds, 3), "train_seconds": round(trained_seconds, 3),
        "trained": len(train_index), "heldOut": len(held_index), "replay": replay_count,
        "epochs": args.epochs, "batch": args.batch, "steps": step, "last_epoch_loss": round(loss_sum / max(seen, 1), 4),
        "before": before, "after": after, "general": f"MNIST test ({general.shape[0]})",
    }), flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("corrections")
    p.add_argument("--mnist", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--per-digit", type=int, default=50)
    p = sub.add_parser("run")
    p.add_argument("--labels", required=True)
    p.add_argument("--mnist", required=True)
    p.add_argument("--weights", required=True)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--holdout", type=float, default=0.2)
    p.add_argument("--replay-ratio", type=float, default=4.0)
    p.add_argument("--interpolation", type=float, default=0.7)
    p.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    return {"corrections": corrections, "run": run}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
