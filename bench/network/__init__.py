"""The network bench's Python side, a package so the other benches can import it with
bench/ on sys.path: network.network_model (the seed CNN in PyTorch, MNIST's IDX files)."""
