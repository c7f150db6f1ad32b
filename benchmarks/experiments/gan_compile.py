"""Does ``torch.compile`` pay for the GAN's training step on the CPU?

Times training steps (generator and discriminator, batch 64) of one config
eagerly, with ``torch.compile`` (inductor, default mode) of the generator
only, and of both networks, after a warm-up that includes compilation; the
compile time is reported apart, and a mode that fails is reported with its
error. FER-2013 faces are read from ``--data``.

    python benchmarks/experiments/gan_compile.py --config default/32/bfloat16 --threads 1

Writes results/gan_compile_<config>_t<threads>.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import data_dir, set_threads, write_json  # noqa: E402
from gan import config_name, parse_config, timed_training  # noqa: E402


def compiled_generator_class(networks: tuple[str, ...]):
    """ConditionalFaceGenerator whose training ``networks`` ("generator", "discriminator") run through
    ``torch.compile``."""
    import torch

    from speechface.faces import ConditionalFaceGenerator

    class CompiledFaceGenerator(ConditionalFaceGenerator):
        def _build(self, device: str) -> None:
            super()._build(device)
            if "generator" in networks:
                self._generator = torch.compile(self._generator)
            if "discriminator" in networks:
                self.discriminator_ = torch.compile(self.discriminator_)

    return CompiledFaceGenerator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="FER-2013 folder (default ../shared/data/fer2013)")
    parser.add_argument("--config", type=parse_config, default="default/32/bfloat16")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=20, help="steps per timed epoch")
    args = parser.parse_args()
    set_threads(args.threads)

    from speechface.datasets import load_fer2013
    from speechface.faces import ConditionalFaceGenerator

    train = load_fer2013(data_dir("fer2013", args.data), split="train")
    modes = {
        "eager": ConditionalFaceGenerator,
        "torch.compile generator": compiled_generator_class(("generator",)),
        "torch.compile both": compiled_generator_class(("generator", "discriminator")),
    }
    rows = []
    for name, cls in modes.items():
        try:
            warm_s, rate = timed_training(args.config, train.images, train.target, 3 * args.steps, cls)
        except RuntimeError as error:  # e.g. spectral norm's in-place power iteration under inductor
            rows.append({"mode": name, "error": str(error).splitlines()[0]})
            print(f"{config_name(args.config)} {name}: fails: {rows[-1]['error']}", flush=True)
            continue
        rows.append({"mode": name, "first_fit_s": warm_s, "train_img_s": rate})
        print(f"{config_name(args.config)} {name}: first fit {warm_s:.1f} s, {rate:.1f} train images/s", flush=True)
    slug = config_name(args.config).replace("/", "_")
    write_json(f"gan_compile_{slug}_t{args.threads}", {"config": config_name(args.config), "rows": rows})


if __name__ == "__main__":
    main()
