"""Throughput of the extractor against the bare ``spacy.blank("en")`` tokenizer.

Both run in one process, in one run, on the same texts (each paper's title
and abstract as two texts), each timed as the best of ``--repeat`` passes
over the corpus, so the ratio is robust to a busy machine. Default corpus:
the bundled sample (kg:corpus), replicated to at least ``--min-papers``.

    .venv/bin/python benchmarks/extract_speed.py
    .venv/bin/python benchmarks/extract_speed.py --gold ../shared/scirex/train.abstracts.jsonl
    .venv/bin/python benchmarks/extract_speed.py --quick      # smallest run (the test suite's)

Target (issue 3): extractor >= 0.35 x tokenizer throughput.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

TARGET = 0.35


def load_papers(gold: list[Path], min_papers: int):
    from kg.ids import normalise_space
    from kg.ingest import read_papers
    from kg.records import Paper
    from kg.report import RunReport

    if gold:
        papers = []
        for path in gold:
            with open(path, encoding="utf-8") as handle:
                for n, line in enumerate(handle):
                    if line.strip():
                        rec = json.loads(line)
                        papers.append(Paper(id=str(rec.get("id", n)),
                                            title=normalise_space(rec.get("title") or ""),
                                            abstract=normalise_space(rec["text"])))
    else:
        papers = read_papers(None, RunReport())
    base = list(papers)
    while len(papers) < min_papers:
        papers.extend(base)
    return papers


def interleaved_best(repeat: int, fns: list) -> list[float]:
    """Best CPU time of each function over ``repeat`` rounds, the functions taking turns
    within each round, so that other load on the machine hits both alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            gc.collect()
            start = time.process_time()
            fn()
            best[k] = min(best[k], time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    from kg.extract import BATCH_SIZE, build_nlp, extract_papers  # spaCy loads on first use

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, nargs="*", default=[],
                        help="gold JSON Lines files (text, optional title) instead of the sample corpus")
    parser.add_argument("--min-papers", type=int, default=0,
                        help="repeat the corpus until it has this many papers (default: as is)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                        help=f"papers per extractor batch (default: {BATCH_SIZE})")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--quick", action="store_true",
                        help="one pass: checks that the benchmark runs (the verdict is printed, exit 0)")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1

    import spacy

    papers = load_papers(args.gold, args.min_papers)
    texts = [t for p in papers for t in (p.title, p.abstract)]
    blank = spacy.blank("en")
    nlp = build_nlp()
    # warm up both (vocab growth, lazy imports) before timing
    list(blank.tokenizer.pipe(texts[:200]))
    list(extract_papers(papers[:100], nlp))

    t_tok, t_ext = interleaved_best(args.repeat, [
        lambda: sum(1 for _ in blank.tokenizer.pipe(texts)),
        lambda: sum(1 for _ in extract_papers(papers, nlp, batch_size=args.batch_size)),
    ])
    n = len(papers)
    tok_rate, ext_rate = n / t_tok, n / t_ext
    ratio = ext_rate / tok_rate
    figures = {
        "papers": n,
        "texts": len(texts),
        "tokenizer_papers_per_s": round(tok_rate, 1),
        "extractor_papers_per_s": round(ext_rate, 1),
        "ratio": round(ratio, 3),
        "target": TARGET,
        "meets_target": ratio >= TARGET,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"papers (title + abstract as two texts): {n}")
        print(f"spacy.blank('en') tokenizer: {tok_rate:8.1f} papers/s")
        print(f"kg extractor (full):          {ext_rate:8.1f} papers/s")
        print(f"ratio extractor/tokenizer:    {ratio:8.3f}  (target >= {TARGET})")
    return 0 if ratio >= TARGET or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
