"""The PyTorch side of `make bench` for the network (bench/network/network.sh): the seed CNN
(network_model.py) on 2 threads, measured the way bench/network/NetworkBench measures the
Swift engine. Prints one JSON object per line.

    network_pytorch.py bench [--seconds S] [--variant nchw|channels_last] [--label L]
        inference img/s at batch 1, 64, 256 and training img/s at batch 64 (Adam, lr 1e-3,
        cross-entropy), on random images in [0,1] with labels i % 10, as NetworkBench does:
        one untimed call (warm-up), then calls back to back until S seconds have passed;
        img/s = images done / wall seconds, img/CPU-s = images / process CPU seconds.
        Timed: inference = model(x) under inference_mode (normalization included, logits
        out); training = zero_grad, forward, loss, backward, Adam step, loss and correct
        count read back (Trainer.step returns both).
    network_pytorch.py finetune --mnist DIR --weights seedcnn.f32 [--repeat N] [--variant V]
        the fine-tune job: the first 500 MNIST training images, 5 epochs of batch 64,
        reshuffled each epoch, augmented (rotation ±10°, shift ±2 px, scale 1±0.1 with
        affine_grid/grid_sample), Adam, from the reference weights. Timed: the whole job
        after the weights are loaded; the first (cold) run and the median of N more.
    network_pytorch.py train-epoch --mnist DIR [--variant V]
        what `digitctl train --epochs 1` does: one augmented epoch of the 60k training
        images at batch 64 from fresh weights, then the 10k test set; run under
        /usr/bin/time -v for the peak RSS of training.

--variant channels_last converts the model and every input batch to
torch.channels_last (the conversion is inside the timed call). The "tuned malloc"
variants are this script under LD_PRELOAD (bench/network/network.sh), recorded by --label.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from network_model import SeedCNN, augment, load_f32, mnist

THREADS = 2


def measure(images: int, seconds: float, body):
    """NetworkBench's measure(): one warm-up call, then calls until `seconds` have passed."""
    body()
    start, start_cpu = time.perf_counter(), time.process_time()
    done = 0
    while time.perf_counter() - start < seconds:
        body()
        done += images
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return done / wall, done / cpu


def prepare(model, variant):
    if variant == "channels_last":
        model = model.to(memory_format=torch.channels_last)
        return model, lambda x: x.contiguous(memory_format=torch.channels_last)
    return model, lambda x: x


def training_step(model, optimizer, convert, x01, labels):
    optimizer.zero_grad(set_to_none=True)
    logits = model(convert(x01))
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    optimizer.step()
    return loss.item(), int((logits.argmax(1) == labels).sum())


def bench(args, emit):
    torch.manual_seed(1)
    model, convert = prepare(SeedCNN(), args.variant)
    model.eval()
    for batch in (1, 64, 256):
        x = torch.rand(batch, 1, 28, 28)

        def infer():
            with torch.inference_mode():
                model(convert(x))

        ips, cpu = measure(batch, args.seconds, infer)
        emit(work="inference", batch=batch, ips=ips, cpu_ips=cpu)

    model.train()
    batch = 64
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 1, 28, 28)
    labels = torch.arange(batch) % 10
    ips, cpu = measure(batch, args.seconds, lambda: training_step(model, optimizer, convert, x, labels))
    emit(work="training", batch=batch, ips=ips, cpu_ips=cpu)


def run_epochs(model, convert, images_u8, labels_u8, epochs, batch, seed):
    """Shuffled, augmented epochs of Adam; returns (seconds, mean loss of the last epoch)."""
    generator = torch.Generator().manual_seed(seed)
    images = torch.from_numpy(np.ascontiguousarray(images_u8))
    labels = torch.from_numpy(labels_u8.astype(np.int64))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    start = time.perf_counter()
    loss_sum = 0.0
    for _ in range(epochs):
        order = torch.randperm(images.shape[0], generator=generator)
        loss_sum, seen = 0.0, 0
        for first in range(0, images.shape[0], batch):
            index = order[first:first + batch]
            x01 = images[index].unsqueeze(1).float().div_(255)
            loss, _ = training_step(model, optimizer, convert, augment(x01, generator), labels[index])
            loss_sum += loss * index.numel()
            seen += index.numel()
    return time.perf_counter() - start, loss_sum / seen


def finetune(args, emit):
    images, labels = mnist(args.mnist, "train")
    images, labels = images[:500], labels[:500]
    base = load_f32(SeedCNN(), args.weights).state_dict()
    times = []
    for run in range(args.repeat + 1):
        model = SeedCNN()
        model.load_state_dict(base)
        model, convert = prepare(model, args.variant)
        seconds, loss = run_epochs(model, convert, images, labels, epochs=5, batch=64, seed=run + 1)
        times.append(seconds)
    emit(work="finetune", images=500, epochs=5, batch=64, cold_seconds=times[0],
         seconds=statistics.median(times[1:]) if len(times) > 1 else times[0], runs=times, last_loss=loss)


def train_epoch(args, emit):
    torch.manual_seed(1)
    images, labels = mnist(args.mnist, "train")
    test_images, test_labels = mnist(args.mnist, "t10k")
    model, convert = prepare(SeedCNN(), args.variant)
    seconds, loss = run_epochs(model, convert, images, labels, epochs=1, batch=64, seed=1)
    model.eval()
    correct = 0
    with torch.inference_mode():
        for first in range(0, test_images.shape[0], 512):
            x01 = torch.from_numpy(test_images[first:first + 512]).unsqueeze(1).float().div_(255)
            predicted = model(convert(x01)).argmax(1).numpy()
            correct += int((predicted == test_labels[first:first + 512]).sum())
    emit(work="train-epoch", images=int(images.shape[0]), batch=64, seconds=seconds,
         ips=images.shape[0] / seconds, loss=loss, test_accuracy=correct / test_images.shape[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["bench", "finetune", "train-epoch"])
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per measurement (NetworkBench: 3)")
    parser.add_argument("--variant", choices=["nchw", "channels_last"], default="nchw")
    parser.add_argument("--label", default=None, help="name of this variant in the output (default: --variant)")
    parser.add_argument("--mnist", default="../shared/data/mnist")
    parser.add_argument("--weights", default="../shared/reference/pytorch-seedcnn/seedcnn.f32")
    parser.add_argument("--repeat", type=int, default=3, help="finetune: timed runs after the cold one")
    args = parser.parse_args()

    torch.set_num_threads(THREADS)
    label = args.label or args.variant

    with open("/proc/self/maps") as maps:
        mapped = maps.read()
    malloc = next((name for name in ("jemalloc", "tcmalloc") if name in mapped), "glibc")

    def emit(**fields):
        print(json.dumps({"side": "pytorch", "variant": label, "torch": torch.__version__, "malloc": malloc,
                          "threads": torch.get_num_threads(), **fields}), flush=True)

    {"bench": bench, "finetune": finetune, "train-epoch": train_epoch}[args.mode](args, emit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
