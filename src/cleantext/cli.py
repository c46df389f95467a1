"""The ``cleantext`` command: ``clean`` and ``explain`` (``cleantext COMMAND --help``).

Exit codes: 0 done; 1 bad input under ``--strict`` or an input/output error (no output
file is left behind); 2 usage error; 3 nothing usable was read (every input skipped or
none found; the skip records are still written); 130 interrupted.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections import Counter
from contextlib import contextmanager
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from cleantext import __version__
from cleantext.config import Config, DedupConfig
from cleantext.document import Document
from cleantext.io import InputError, atomic_writer, jsonl_line
from cleantext.progress import Progress, RunStats

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NOTHING = 3
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A bad command line (exit code 2)."""


# -- shared options ---------------------------------------------------------------------------
def add_input_options(p: argparse.ArgumentParser) -> None:
    """Positional inputs and reading options."""
    p.add_argument("inputs", nargs="+", metavar="IN",
                   help='input: a directory of .txt files (recursive), a .txt file, a .jsonl, .jsonl.gz '
                        'or .jsonl.zst file, or "-" for standard input')
    p.add_argument("--strict", action="store_true",
                   help="stop with exit code 1 at the first bad input instead of recording it as skipped")


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Parallelism and configuration overrides."""
    p.add_argument("-w", "--workers", type=int, default=1, metavar="N",
                   help="worker processes for cleaning (default 1; the output is the same for any N)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="options",
                   help="override a config field, e.g. --set template_min_count=5 or "
                        "--set boilerplate.enabled=false (repeatable; see README, Configuration)")


def add_quiet_option(p: argparse.ArgumentParser) -> None:
    """--quiet, for commands that report progress and a summary."""
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress indicator and no closing summary on standard error")


def _coerce(field: dataclasses.Field[Any], default: Any, key: str, text: str) -> Any:
    """Turn a command-line string into the type of a config field."""
    if "None" in str(field.type) and text.strip().lower() in {"none", "null"}:
        return None
    if isinstance(default, bool):
        low = text.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off"}:
            return False
        raise UsageError(f"--set {key}: expected true or false, got {text!r}")
    if isinstance(default, (int, float)):
        try:
            return type(default)(text)
        except ValueError:
            raise UsageError(f"--set {key}: expected a {type(default).__name__}, got {text!r}") from None
    if isinstance(default, tuple):
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return text


def _find_field(cfg: Config, key: str) -> tuple[dataclasses.Field[Any], Any]:
    """The field a flat option names, with its current value."""
    stage, _, name = key.rpartition(".")
    found = [(g, getattr(getattr(cfg, f.name), name)) for f in dataclasses.fields(cfg)
             if f.name != "workers" and (not stage or f.name == stage)
             for g in dataclasses.fields(getattr(cfg, f.name)) if g.name == name]
    if len(found) != 1:
        raise UsageError(f"--set {key}: unknown or ambiguous option (prefix it with its stage, "
                         f"e.g. dedup.{name})" if found else f"--set {key}: unknown option")
    return found[0]


def config_from_args(args: argparse.Namespace) -> Config:
    """The run's Config from --strict, --workers and --set."""
    cfg = Config()
    options: dict[str, Any] = {}
    for item in args.options:
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or not key:
            raise UsageError(f"--set expects NAME=VALUE, got {item!r}")
        options[key] = _coerce(*_find_field(cfg, key), key, value)
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    options["workers"] = args.workers
    try:
        cfg = cfg.with_options(**options)
    except (TypeError, ValueError) as e:  # a stage config rejecting a value
        raise UsageError(str(e)) from None
    if args.strict:
        cfg = cfg.replace(read=cfg.read.replace(strict=True))
    return cfg


@contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """An atomic file for ``path``, or standard output (UTF-8) for None or "-"."""
    if path in (None, "-"):
        out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False)
        try:
            yield out
        finally:
            out.flush()
        return
    with atomic_writer(path) as f:
        yield f


# -- clean ------------------------------------------------------------------------------------
def _add_clean(sub: Any) -> None:
    p = sub.add_parser("clean", help="clean documents: repair, metadata, boilerplate removal, language",
                       description="Clean every input document and write one JSON object a line, "
                                   "one per input document, in input order (README: Output contract).")
    add_input_options(p)
    p.add_argument("-o", "--output", metavar="OUT.jsonl",
                   help='output JSONL file, written atomically (default or "-": standard output)')
    add_run_options(p)
    add_quiet_option(p)
    p.set_defaults(run=_cmd_clean)


def _cmd_clean(args: argparse.Namespace) -> int:
    from cleantext.pipeline import clean_paths  # here, not at the top: --help stays fast

    cfg = config_from_args(args)
    stats = RunStats()
    progress = Progress(stats, sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)

    def scanned() -> None:
        stats.scan()
        progress.update()

    try:
        with open_output(args.output) as out:
            for result in clean_paths(args.inputs, cfg, stats=stats.read, on_scan=scanned):
                stats.add(result.doc)
                out.write(jsonl_line(result.doc.to_dict()))
                stats.written += 1
                progress.update()
    finally:
        progress.close()
    if not args.quiet:
        print(stats.summary(), file=sys.stderr)
    return EXIT_OK if stats.usable else EXIT_NOTHING


# -- explain ----------------------------------------------------------------------------------
def _add_explain(sub: Any) -> None:
    p = sub.add_parser("explain", help="show what cleaning removes from documents, and why",
                       description="Print each document's input text with every removed span marked "
                                   "and labelled [reason score]; with --stats, count removals by reason.")
    add_input_options(p)
    p.add_argument("--id", action="append", default=[], metavar="ID", dest="ids",
                   help="only show the document with this id (repeatable)")
    p.add_argument("--stats", action="store_true",
                   help="instead of the documents, print removals by reason over all inputs")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="mark removed spans with colour (auto: only when standard output is a terminal)")
    add_run_options(p)
    p.set_defaults(run=_cmd_explain)


_STRIKE, _LABEL, _RESET = "\x1b[2;9m", "\x1b[33m", "\x1b[0m"


def render(doc: Document, color: bool) -> str:
    """The document's input text with removed spans marked and labelled ``[reason score]``."""
    head = f"== {doc.id}"
    facts = [f"{k}={v}" for k, v in (("source", doc.source), ("site", doc.site), ("lang", doc.lang),
                                     ("date", doc.date), ("title", doc.title)) if v]
    if doc.skipped:
        return f"{head}  skipped: {doc.skipped}  " + "; ".join(doc.notes) + "\n"
    parts = [head + ("  " + "  ".join(facts) if facts else "") + "\n"]
    parts += [f"   note: {n}\n" for n in doc.notes]
    pos = 0
    for r in sorted(doc.removed, key=lambda r: (r.start, -r.end)):
        if r.end <= pos:
            continue
        start = max(r.start, pos)
        parts.append(doc.raw[pos:start])
        span, label = doc.raw[start:r.end], f"[{r.reason} {r.score:.2f}]"
        parts.append(f"{_STRIKE}{span}{_RESET}{_LABEL}{label}{_RESET}" if color else f"[-{span}-]{label}")
        pos = r.end
    parts.append(doc.raw[pos:])
    return "".join(parts).rstrip("\n") + "\n\n"


def removal_stats(docs: Iterable[Document]) -> str:
    """A table of removals by reason: spans, documents, characters and share of input characters."""
    spans: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    in_docs: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    total = n = 0
    for doc in docs:
        n += 1
        if doc.skipped:
            skipped[doc.skipped] += 1
            continue
        total += len(doc.raw)
        for r in doc.removed:
            spans[r.reason] += 1
            chars[r.reason] += r.end - r.start
        in_docs.update({r.reason for r in doc.removed})
    lines = [f"{n} documents, {total} input characters, {sum(skipped.values())} skipped",
             f"{'reason':<32} {'spans':>7} {'docs':>6} {'chars':>9} {'share':>7}"]
    for reason in sorted(chars, key=lambda k: (-chars[k], k)):
        share = chars[reason] / total if total else 0.0
        lines.append(f"{reason:<32} {spans[reason]:>7} {in_docs[reason]:>6} {chars[reason]:>9} {share:>7.1%}")
    lines += [f"skipped: {reason} {count}" for reason, count in sorted(skipped.items())]
    return "\n".join(lines) + "\n"


def _cmd_explain(args: argparse.Namespace) -> int:
    from cleantext.pipeline import clean_paths

    cfg = config_from_args(args)
    color = args.color == "always" or args.color == "auto" and sys.stdout.isatty()
    wanted = set(args.ids)
    docs = (r.doc for r in clean_paths(args.inputs, cfg))
    if wanted:
        docs = (d for d in docs if d.id in wanted)
    with open_output(None) as out:
        if args.stats:
            out.write(removal_stats(docs))
            return EXIT_OK
        shown = 0
        for doc in docs:
            out.write(render(doc, color))
            shown += 1
    if wanted and shown < len(wanted):
        print(f"cleantext: {len(wanted) - shown} of the requested ids were not found", file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_OK if shown else EXIT_NOTHING


# -- dedupe -----------------------------------------------------------------------------------
_DEDUP_FLAGS = {  # command-line flag -> (DedupConfig field, type, help)
    "--threshold": ("threshold", float, "Jaccard of shingle sets at or above which two documents are "
                                        "duplicates"),
    "--containment": ("containment", float, "share of the smaller document's shingles found in the larger "
                                            "at or above which it is a duplicate"),
    "--shingle-size": ("shingle_size", int, "words per document shingle"),
    "--num-perm": ("num_perm", int, "MinHash permutations"),
    "--passage-min-words": ("passage_min_words", int, "shorter paragraphs are not passages"),
}


def _add_dedupe(sub: Any) -> None:
    defaults = DedupConfig()
    p = sub.add_parser("dedupe", help="clean, then find near-duplicate documents and passages; write the "
                                      "canonical corpus",
                       description="Clean every input document, find near-duplicate documents (MinHash LSH, "
                                   "verified by exact Jaccard and containment) and shared passages, choose one "
                                   "canonical document per cluster, and write OUTDIR/documents.jsonl, "
                                   "canonical.jsonl, clusters.jsonl and stats.json (README: Deduplication).")
    add_input_options(p)
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                   help="output directory (created; each file written atomically)")
    for flag, (name, kind, text) in _DEDUP_FLAGS.items():
        p.add_argument(flag, type=kind, metavar=kind.__name__.upper(),
                       help=f"{text} (default {getattr(defaults, name)})")
    p.add_argument("--strip-passages", action="store_true",
                   help="cut from each document (at sentence boundaries) the passages an earlier-ranked "
                        "canonical document also holds; each cut is recorded as a dedup:passage removal")
    p.add_argument("--prefer", action="append", default=[], metavar="SOURCE",
                   help="a site, URL host or input path prefix whose documents are chosen as canonical "
                        "first (repeatable; earlier ones win)")
    p.add_argument("--profile", action="store_true",
                   help="print where the time went: CPU seconds and share of each stage, all worker "
                        "processes summed (also in stats.json as stage_seconds), after the CPU seconds of "
                        "the main process, of the workers, and outside the table")
    add_run_options(p)
    add_quiet_option(p)
    p.set_defaults(run=_cmd_dedupe)


def _cmd_dedupe(args: argparse.Namespace) -> int:
    from cleantext.dedup import dedupe_paths

    try:
        cfg = config_from_args(args)
    except ValueError as e:
        raise UsageError(str(e)) from None
    changes: dict[str, Any] = {name: value for flag, (name, _, _) in _DEDUP_FLAGS.items()
                               if (value := getattr(args, flag[2:].replace("-", "_"))) is not None}
    if args.strip_passages:
        changes["strip_passages"] = True
    if args.prefer:
        changes["preferred_sources"] = tuple(args.prefer)
    try:
        cfg = cfg.replace(dedup=cfg.dedup.replace(**changes))
    except ValueError as e:
        raise UsageError(str(e)) from None
    stats = RunStats()
    result = dedupe_paths(args.inputs, args.output, cfg, read_stats=stats.read)
    if not args.quiet:
        skipped = sum(result["skipped"].values())
        print(f"cleantext: {result['documents']} documents ({skipped} skipped): {result['clusters']} duplicate "
              f"clusters, {result['duplicates']} duplicates, {result['passage_links']} passage links, "
              f"{result['canonical']} canonical -> {args.output}", file=sys.stderr)
    if args.profile:
        from cleantext.timing import format_processes, format_report, process_seconds

        print(format_processes(process_seconds(), result["stage_seconds"]), file=sys.stderr)
        print(format_report(result["stage_seconds"]), file=sys.stderr)
    return EXIT_OK if result["documents"] > sum(result["skipped"].values()) else EXIT_NOTHING


# -- entry point ------------------------------------------------------------------------------
COMMANDS: list[Callable[[Any], None]] = [_add_clean, _add_explain, _add_dedupe]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered in ``COMMANDS``."""
    parser = argparse.ArgumentParser(
        prog="cleantext",
        description="Turn scraped news text into a clean, deduplicated corpus.",
        epilog="Exit codes: 0 done, 1 bad input under --strict or an I/O error, 2 usage error, "
               "3 nothing usable was read, 130 interrupted.")
    parser.add_argument("--version", action="version", version=f"cleantext {__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                help="run 'cleantext COMMAND --help' for its options")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from cleantext.parallel import quiet_gc

    parser = build_parser()
    args = parser.parse_args(argv)
    quiet_gc()
    try:
        return args.run(args)
    except UsageError as e:
        parser.print_usage(sys.stderr)
        print(f"cleantext: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as e:
        print(f"cleantext: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # the reader of our standard output went away: nothing to report to
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except OSError as e:
        print(f"cleantext: error: {e.filename or ''}{': ' if e.filename else ''}{e.strerror or e}",
              file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cleantext: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
