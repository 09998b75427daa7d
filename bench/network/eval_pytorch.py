"""What `digitctl eval --mnist DIR --model FILE` does, in PyTorch: import torch, load the
weights (raw float32, ../shared/reference/pytorch-seedcnn/layout.txt), read the gzip'd
IDX test set, classify the 10k images in chunks of 512 (as Evaluation does) on 2
threads, print accuracy, per-class precision/recall and the confusion matrix.
bench/network/network.sh times this whole process beside `digitctl eval`.

    eval_pytorch.py [--mnist DIR] [--weights seedcnn.f32]
"""
import argparse
import sys

import numpy as np
import torch

from network_model import SeedCNN, load_f32, mnist


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", default="../shared/data/mnist")
    parser.add_argument("--weights", default="../shared/reference/pytorch-seedcnn/seedcnn.f32")
    args = parser.parse_args()

    torch.set_num_threads(2)
    model = load_f32(SeedCNN(), args.weights).eval()
    images, labels = mnist(args.mnist, "t10k")
    predicted = np.empty(labels.shape[0], dtype=np.int64)
    with torch.inference_mode():
        for first in range(0, images.shape[0], 512):
            x01 = torch.from_numpy(images[first:first + 512]).unsqueeze(1).float().div_(255)
            predicted[first:first + 512] = model(x01).argmax(1).numpy()

    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (labels.astype(np.int64), predicted), 1)
    correct, total = int(np.trace(confusion)), int(confusion.sum())
    print(f"model: {args.weights}")
    print(f"accuracy: {100 * correct / total:.2f}% ({correct}/{total})")
    print("\ndigit  precision  recall")
    for d in range(10):
        precision = confusion[d, d] / max(1, confusion[:, d].sum())
        recall = confusion[d, d] / max(1, confusion[d].sum())
        print(f"{d:5d}  {100 * precision:8.2f}%  {100 * recall:5.2f}%")
    print("\nconfusion matrix (rows: actual, columns: predicted)")
    print("     " + "".join(f"{d:6d}" for d in range(10)))
    for actual in range(10):
        print(f"{actual:5d}" + "".join(f"{n:6d}" for n in confusion[actual]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
