"""The decision layer's inverse L2 strength: cross-validated log-loss of each candidate value.

    python bench/regularization.py

Reads the committed training rows (pipeline/model/training.jsonl) and prints, for each value of
pipeline.train.REGULARIZATION_GRID, the log-loss of documents each fold's model did not see (the same
fold deals as `banwatch train`). The lowest is the one to commit as pipeline.train.REGULARIZATION; the
check parts and held probes play no part in the choice.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.train import REGULARIZATION, read_rows, regularization_curve  # noqa: E402


def main():
    rows = read_rows()
    curve = regularization_curve(rows)
    best = min(curve, key=lambda point: point[1])
    print(f"{len(rows)} training rows; cross-validated log-loss by inverse L2 strength C:")
    for c, loss in curve:
        marks = (" <- lowest" if (c, loss) == best else "") + (" (committed)" if c == REGULARIZATION else "")
        print(f"  C={c:<5} {loss:.4f}{marks}")


if __name__ == "__main__":
    main()
