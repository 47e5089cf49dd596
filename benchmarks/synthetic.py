"""Synthetic corpora for scale runs: real sentences of the sample corpus, recombined.

Each abstract is 5-9 sentences drawn (seeded) from the bundled listing pages,
plus one or two sentences that introduce or use *new* names (methods,
datasets, architectures) drawn from a Zipf-like vocabulary that grows with
the corpus (some of them report a result, so leaderboards fill up), so the graph keeps growing the way a real one does instead of
saturating on the sample's entities.

    python benchmarks/synthetic.py 10000 -o /tmp/synth-10k.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from kg.ingest import read_papers
from kg.report import RunReport

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_SYLLABLES = ("ka", "lo", "mi", "ra", "tu", "ze", "vo", "ni", "sa", "pe", "do", "qu", "xi", "be")
_TEMPLATES = (
    ("We propose {m}, a novel method for {t}.", "m"),
    ("We evaluate on the {d} dataset and report accuracy and F1.", "d"),
    ("Our {a} architecture outperforms ResNet-50 on {d}.", "a"),
    ("Experiments on {d} and ImageNet show that {m} improves top-1 accuracy.", "m"),
    ("We introduce {a}, a Transformer-based network trained with Adam.", "a"),
    ("The method, called {m}, is evaluated on the {d} benchmark.", "m"),
    ("{m} achieves {v}% top-1 accuracy on ImageNet.", "m"),
    ("On {d}, our {m} reaches {v} F1, outperforming BERT by {g} points.", "m"),
)
_TASKS = ("image classification", "machine translation", "anomaly detection", "question answering")


def sentences_of_sample() -> tuple[list[str], list[str]]:
    """(sentences, titles) of the bundled corpus, in a fixed order."""
    papers = read_papers(None, RunReport())
    sentences = [s for p in papers for s in _SENTENCE.split(p.abstract) if 40 <= len(s) <= 400]
    return sentences, [p.title for p in papers]


def _name(rng: random.Random, index: int, suffix: str) -> str:
    local = random.Random(index * 7919 + len(suffix))
    stem = "".join(local.choice(_SYLLABLES) for _ in range(2 + index % 2)).capitalize()
    return f"{stem}{suffix}-{index % 97 + 1}" if suffix else f"{stem}{index}"


def synthesize(count: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """Yield ``count`` records ``{"id", "title", "abstract"}`` (JSON Lines-ready)."""
    rng = random.Random(seed)
    sentences, titles = sentences_of_sample()
    vocabulary = max(50, int(count**0.75))
    for i in range(count):
        picks = [rng.choice(sentences) for _ in range(rng.randint(5, 9))]
        for _ in range(rng.randint(1, 2)):
            template, _ = rng.choice(_TEMPLATES)
            rank = min(int(rng.paretovariate(1.1)), vocabulary)
            new = template.format(
                m=_name(rng, rank, "Net" if rank % 3 == 0 else ""),
                d=_name(rng, rank + 1, "Bench"),
                a=_name(rng, rank + 2, "Former"),
                t=rng.choice(_TASKS),
                v=f"{rng.uniform(50, 95):.1f}",
                g=f"{rng.uniform(0.1, 5):.1f}",
            )
            picks.insert(rng.randrange(len(picks) + 1), new)
        title = f"{rng.choice(titles)} ({i})"
        yield {"id": f"synth-{i:08d}", "title": title, "abstract": " ".join(picks)}


def write_corpus(count: int, path: Path, seed: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for record in synthesize(count, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_corpus(args.count, args.output, args.seed)
    print(f"wrote {args.count} abstracts to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
