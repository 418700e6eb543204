"""python -m lenet train|evaluate|predict|summary: the engine from the command line.

Bad input (an unknown variant, a missing or corrupt weights file, a file that is not an
image) gets a one-line message on stderr and a non-zero exit status, never a traceback.
"""

import argparse
import json
import shlex
import sys
from pathlib import Path

from lenet.inference import classify
from lenet.layer_table import layer_table, model_summary
from lenet.mnist import MnistError
from lenet.model import VARIANTS, build_model
from lenet.preprocess import ImageReadError, open_image, preprocess_drawing
from lenet.train import TrainConfig, as_tensors, confusion_matrix, evaluate, train_and_save
from lenet.weights import WeightsError, load_model

USAGE_ERROR = 2  # argparse's own status for bad arguments
MAX_IMAGE_BYTES = 50 * 1024 * 1024


class CliError(Exception):
    """An expected failure with a message for the person at the terminal."""


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr (status 2), not usage plus error."""

    def error(self, message):
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see --help)\n")


def check_variant(name: str) -> str:
    """argparse type for --variant, so that an unknown name is a one-line usage error."""
    if name not in VARIANTS:
        raise argparse.ArgumentTypeError(f"unknown variant {name!r} (choose from {', '.join(VARIANTS)})")
    return name


def add_variant(parser, default="paper"):
    parser.add_argument("--variant", type=check_variant, default=default, metavar="{paper,modern}",
                        help=f"which LeNet-5: the 1998 paper's or the modern one (default: {default})")


def cmd_summary(args) -> int:
    model = build_model(args.variant, seed=0)
    if args.json:
        print(json.dumps(model_summary(model)))
        return 0
    summary = model_summary(model)
    print(f"LeNet-5, {model.title}: {model.summary}\n")
    header = f"{'layer':<7}{'kind':<31}{'output':<12}{'weights':>9}{'biases':>8}{'params':>9}{'connections':>13}  formula"
    print(header)
    print("-" * len(header))
    for r in layer_table(model):
        shape = "x".join(map(str, r.output_shape))
        print(f"{r.name:<7}{r.kind:<31}{shape:<12}{r.weights + r.fixed_params:>9,}{r.biases:>8,}"
              f"{r.trainable_params:>9,}{r.connections:>13,}  {r.formula}")
    print(f"\ntrainable parameters {summary['trainable_params']:,}; fixed {summary['fixed_params']:,}; "
          f"connections {summary['connections']:,}")
    return 0


def cmd_train(args) -> int:
    config = TrainConfig(variant=args.variant, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                         seed=args.seed, distortions=args.distortions, train_limit=args.train_limit,
                         dry_run=args.dry_run, output=args.output, threads=args.threads,
                         command="python -m lenet " + shlex.join(sys.argv[1:]))
    metadata = train_and_save(config, log=lambda line: print(line, flush=True))
    if args.json:
        print(json.dumps({k: metadata[k] for k in ("variant", "test_accuracy", "epochs", "train_seconds")}))
    return 0


def cmd_evaluate(args) -> int:
    from lenet.mnist import load_mnist

    model = load_model(args.variant, args.weights)
    images, labels = as_tensors(load_mnist("test"))
    preds = evaluate(model, images, labels)
    truth = labels.numpy()
    accuracy = float((preds == truth).mean())
    result = {"variant": args.variant, "accuracy": accuracy, "errors": int((preds != truth).sum()), "n": len(truth),
              "confusion": confusion_matrix(truth, preds).tolist()}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.variant}: accuracy {accuracy:.4f} on {result['n']:,} MNIST test images "
              f"({result['errors']} errors)")
    return 0


def predict_file(model, path: str) -> dict:
    """One file's prediction as JSON-ready data, or {"path", "error"} for unreadable input."""
    try:
        file = Path(path)
        if file.is_file() and file.stat().st_size > MAX_IMAGE_BYTES:
            raise ImageReadError(f"file is larger than {MAX_IMAGE_BYTES // 2**20} MiB")
        image = open_image(file.read_bytes())
    except (OSError, ImageReadError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return {"path": path, "error": reason}
    pred = classify(model, preprocess_drawing(image))
    return {"path": path, "digit": pred.digit, "blank": pred.blank,
            "probabilities": [round(float(p), 6) for p in pred.probabilities]}


def cmd_predict(args) -> int:
    model = load_model(args.variant, args.weights)
    results = [predict_file(model, path) for path in args.images]
    if args.json:
        print(json.dumps(results))
    else:
        for r in results:
            if "error" in r:
                print(f"{r['path']}: error: {r['error']}")
            elif r["blank"]:
                print(f"{r['path']}: blank (no ink found)")
            else:
                print(f"{r['path']}: {r['digit']} ({r['probabilities'][r['digit']]:.1%})")
    return 1 if any("error" in r for r in results) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog="python -m lenet", description="LeNet-5 Explorer's engine.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("summary", help="print the layer table of a variant")
    add_variant(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.set_defaults(run=cmd_summary)

    defaults = TrainConfig()
    p = sub.add_parser("train", help="train a variant on MNIST and write its weights")
    add_variant(p, default=defaults.variant)
    p.add_argument("--epochs", type=int, default=defaults.epochs, help="passes over the training set")
    p.add_argument("--batch-size", type=int, default=defaults.batch_size, help="images per step")
    p.add_argument("--lr", type=float, default=defaults.lr, help="peak learning rate (Adam, one-cycle)")
    p.add_argument("--seed", type=int, default=defaults.seed, help="random seed (weights, order, distortions)")
    p.add_argument("--distortions", action=argparse.BooleanOptionalAction, default=defaults.distortions,
                   help="random affine distortions of the training images")
    p.add_argument("--train-limit", type=int, default=None, help="use only the first N training images")
    p.add_argument("--output", default=None, help="weights path (default: assets/weights/lenet5-VARIANT.pt)")
    p.add_argument("--dry-run", action="store_true", help="a few batches only, to check that training runs")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (default: one per core)")
    p.add_argument("--json", action="store_true", help="end with one JSON line of the result")
    p.set_defaults(run=cmd_train)

    p = sub.add_parser("evaluate", help="accuracy and confusion matrix on the 10,000 MNIST test digits")
    add_variant(p)
    p.add_argument("--weights", default=None, help="weights file (default: the shipped one)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=cmd_evaluate)

    p = sub.add_parser("predict", help="classify image files (drawings, photos, scans)")
    p.add_argument("images", nargs="+", help="image files: PNG, JPEG, BMP, GIF, WebP")
    add_variant(p)
    p.add_argument("--weights", default=None, help="weights file (default: the shipped one)")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per file")
    p.set_defaults(run=cmd_predict)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (WeightsError, MnistError, CliError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
