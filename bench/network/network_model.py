"""The seed CNN in PyTorch, for the PyTorch side of `make bench` (bench/network/network.sh):
DESIGN.md §5, as ../shared/reference/pytorch-seedcnn/layout.txt describes it.

    conv3x3 1→32 pad 1, ReLU, maxpool 2 → conv3x3 32→64 pad 1, ReLU, maxpool 2
    → flatten (NCHW order) 3136 → fc 128, ReLU → fc 10 (logits)
    input: pixels p in 0..255 → (p/255 − 0.5)/0.5

Shared by network_pytorch.py (throughput, training, fine-tuning) and
eval_pytorch.py (the whole-process `digitctl eval` counterpart). Benchmark only:
torch is never a dependency of digitd.
"""
import gzip

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# (name, shape) in the order seedcnn.f32 concatenates them (layout.txt).
LAYOUT = [
    ("conv1.weight", (32, 1, 3, 3)), ("conv1.bias", (32,)),
    ("conv2.weight", (64, 32, 3, 3)), ("conv2.bias", (64,)),
    ("fc1.weight", (128, 3136)), ("fc1.bias", (128,)),
    ("fc2.weight", (10, 128)), ("fc2.bias", (10,)),
]


class SeedCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(3136, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x01):
        """x01: [N,1,28,28] pixels in [0,1] (p/255); the normalization is part of the network."""
        x = (x01 - 0.5) / 0.5
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


def load_f32(model: SeedCNN, path: str) -> SeedCNN:
    """Weights from the raw little-endian float32 file of layout.txt."""
    flat = np.fromfile(path, dtype="<f4")
    total = sum(int(np.prod(shape)) for _, shape in LAYOUT)
    if flat.size != total:
        raise ValueError(f"{path}: {flat.size} floats, expected {total}")
    state, offset = {}, 0
    for name, shape in LAYOUT:
        count = int(np.prod(shape))
        state[name] = torch.from_numpy(flat[offset:offset + count].reshape(shape).copy())
        offset += count
    model.load_state_dict(state)
    return model


def read_idx(path: str) -> np.ndarray:
    """An IDX file (gzip'd or not): uint8 images [N,rows,cols] or labels [N]."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = bytearray(f.read())  # writable: torch.from_numpy warns on read-only arrays
    magic = int.from_bytes(data[0:4], "big")
    if magic == 2051:
        n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
        return np.frombuffer(data, dtype=np.uint8, count=n * rows * cols, offset=16).reshape(n, rows, cols)
    if magic == 2049:
        n = int.from_bytes(data[4:8], "big")
        return np.frombuffer(data, dtype=np.uint8, count=n, offset=8)
    raise ValueError(f"{path}: not an IDX uint8 image/label file (magic {magic})")


def mnist(directory: str, kind: str):
    """(images uint8 [N,28,28], labels uint8 [N]) of MNIST's `train` or `t10k` set."""
    import os

    def path(what: str) -> str:
        base = f"{directory}/{kind}-{what}-idx{3 if what == 'images' else 1}-ubyte"
        return base + ".gz" if os.path.exists(base + ".gz") else base

    images, labels = read_idx(path("images")), read_idx(path("labels"))
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{directory}: {images.shape[0]} {kind} images but {labels.shape[0]} labels")
    return images, labels


def augment(x01: torch.Tensor, generator: torch.Generator,
            rotation: float = 10.0, shift: float = 2.0, scale: float = 0.1) -> torch.Tensor:
    """Random rotation (± degrees), shift (± pixels, x and y) and scale (1 ± s) about the
    center, bilinear, zero (background) outside: what `digitctl train` does by default
    (Augmenter: output pixel p samples the source at M⁻¹(p − c − shift) + c)."""
    n = x01.shape[0]
    u = torch.rand(n, 4, generator=generator) * 2 - 1
    angle = u[:, 0] * rotation * (torch.pi / 180)
    factor = 1 + u[:, 1] * scale
    shift_n = u[:, 2:] * shift * (2 / 28)  # pixels → normalized coordinates (align_corners=False)
    c, s = torch.cos(angle) / factor, torch.sin(angle) / factor
    a = torch.stack([torch.stack([c, s], 1), torch.stack([-s, c], 1)], 1)  # [n,2,2]
    t = -(a @ shift_n.unsqueeze(2))  # [n,2,1]
    theta = torch.cat([a, t], 2)
    grid = F.affine_grid(theta, list(x01.shape), align_corners=False)
    return F.grid_sample(x01, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
