"""The imaging bench's Python side, a package so the other benches can import it with
bench/ on sys.path: imaging.imaging_pillow (the Pillow normalization), imaging.make_imaging_inputs."""
