"""The command line, through real subprocesses (``python -m cleantext``), as CI runs it: no TTY."""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from cleantext.cli import build_parser, main

Run = Callable[..., subprocess.CompletedProcess]


def records(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def all_actions(parser: argparse.ArgumentParser, where: str = "cleantext"):
    for action in parser._actions:
        yield where, action
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield f"{where} {choice.dest}", choice
            for name, sub in action.choices.items():
                yield from all_actions(sub, f"{where} {name}")


def test_every_command_and_option_has_help() -> None:
    missing = [f"{where}: {a.option_strings or a.dest}" for where, a in all_actions(build_parser())
               if not a.help or a.help == argparse.SUPPRESS]
    assert missing == []
    assert {"clean", "explain"} <= set(build_parser()._subparsers._group_actions[0].choices)


def test_help_runs(run_cli: Run, capfd: pytest.CaptureFixture[str]) -> None:
    done = run_cli("--help")
    assert done.returncode == 0 and b"usage: cleantext" in done.stdout and b"Exit codes" in done.stdout
    for command in ("clean", "explain"):
        with pytest.raises(SystemExit) as stop:
            main([command, "--help"])
        assert stop.value.code == 0 and f"usage: cleantext {command}" in capfd.readouterr().out


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """One ``cleantext clean seeds -o out/clean.jsonl`` run, shared by the tests that inspect it."""
    import os
    import sys

    from conftest import SEEDS

    cwd = tmp_path_factory.mktemp("seeds_run")
    done = subprocess.run([sys.executable, "-m", "cleantext", "clean", str(SEEDS), "-o", "out/clean.jsonl"],
                          cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    return done, cwd / "out" / "clean.jsonl"


def test_clean_seeds_writes_the_contract(seeds_run, seeds_dir: Path) -> None:
    done, out = seeds_run
    assert done.returncode == 0, done.stderr
    docs = records(out.read_bytes())
    assert [d["id"] for d in docs] == sorted(p.stem for p in seeds_dir.glob("*.txt"))
    for doc in docs:
        assert {"id", "text", "lang", "title", "date", "source", "removed"} <= doc.keys()
        assert doc["skipped"] is None and doc["text"] and doc["lang"] == "ru"
        raw = Path(doc["source"]).read_text(encoding="utf-8")
        for r in doc["removed"]:
            assert raw[r["start"]:r["end"]] == r["text"]
    assert not list(out.parent.glob(".*tmp"))


def test_summary_goes_to_stderr_without_progress_when_not_a_tty(seeds_run) -> None:
    done, _ = seeds_run
    err = done.stderr.decode()
    assert "read 5 documents" in err and "wrote 5" in err and "skipped 0" in err and "MB/s" in err
    assert "\r" not in err and "Traceback" not in err
    assert done.stdout == b""


def test_stdout_when_no_output_is_given_and_quiet(run_cli: Run, seeds_run) -> None:
    _, out = seeds_run
    done = run_cli("clean", str(out.parent.parent.parent / "nothing"), "-q")
    assert done.returncode == 3 and done.stderr == b""
    assert [d["skipped"] for d in records(done.stdout)] == ["unreadable"]


def test_stdin_jsonl_and_input_order(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "z.txt").write_text("Последний документ из текстового файла.", encoding="utf-8")
    lines = "".join(json.dumps({"id": i, "text": f"Документ номер {i} про выборы."}, ensure_ascii=False) + "\n"
                    for i in ("b", "a", "c"))
    done = run_cli("clean", "-", "z.txt", "-o", "-", stdin=lines.encode())
    assert done.returncode == 0, done.stderr
    docs = records(done.stdout)
    assert [(d["id"], d["source"]) for d in docs] == [("b", "-:1"), ("a", "-:2"), ("c", "-:3"), ("z", "z.txt")]


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_ok.txt").write_text("Нормальный текст документа.", encoding="utf-8")
    (d / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (d / "c_empty.txt").write_text("  \n", encoding="utf-8")
    (d / "d_latin1.txt").write_bytes("Caf\xe9 au lait, a text in Latin-1.".encode("latin-1"))
    (d / "e.jsonl").write_text('{"id": "j1", "text": "fine"}\n{"id": "j2", "text": \n'
                               '{"id": "j3"}\n[1]\n{"id": "j1", "text": "again"}\n{"text": "no id"}\n',
                               encoding="utf-8")
    return d


def test_bad_inputs_are_recorded_and_counted(run_cli: Run, bad_inputs: Path) -> None:
    done = run_cli("clean", "in", "missing.jsonl", "-o", "out.jsonl")
    assert done.returncode == 0, done.stderr
    docs = records((bad_inputs.parent / "out.jsonl").read_bytes())
    assert [(d["id"], d["skipped"]) for d in docs] == [
        ("a_ok", None), ("b_binary", "binary"), ("c_empty", "empty"), ("d_latin1", None),
        ("j1", None), ("in/e.jsonl:2", "malformed_json"), ("j3", "missing_text"),
        ("in/e.jsonl:4", "not_object"), ("j1", "duplicate_id"), ("in/e.jsonl:6", None),
        ("missing.jsonl", "unreadable")]
    assert docs[3]["notes"] == ["invalid_utf8: 1 bytes replaced"]
    err = done.stderr.decode()
    assert "read 11 documents" in err and "wrote 11" in err and "skipped 7" in err
    assert ("skipped: binary 1, duplicate_id 1, empty 1, malformed_json 1, missing_text 1, "
            "not_object 1, unreadable 1") in err


def test_strict_stops_with_one_line_and_no_output(run_cli: Run, bad_inputs: Path) -> None:
    (bad_inputs.parent / "out").mkdir()
    done = run_cli("clean", "in", "--strict", "-o", "out/clean.jsonl")
    assert done.returncode == 1
    err = done.stderr.decode()
    assert err.startswith("cleantext: error: in/b_binary.txt: binary") and err.count("\n") == 1
    assert "Traceback" not in err
    assert list((bad_inputs.parent / "out").iterdir()) == []


def test_strict_malformed_json_names_file_and_line(bad_inputs: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(bad_inputs / "e.jsonl"), "--strict", "-q"]) == 1
    assert capfd.readouterr().err.startswith(f"cleantext: error: {bad_inputs / 'e.jsonl'}:2: malformed_json")


def test_usage_error_exits_2_without_traceback(run_cli: Run) -> None:
    done = run_cli("clean", "x", "--set", "no_such=1")
    assert done.returncode == 2 and b"cleantext: error: --set no_such: unknown option" in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("args, message", [
    ([], "the following arguments are required"),
    (["clean"], "the following arguments are required: IN"),
    (["clean", "x", "--set", "template_min_count=many"], "expected a int"),
    (["clean", "x", "--set", "enabled=maybe"], "expected true or false"),
    (["clean", "x", "--set", "seed=1"], "ambiguous"),
    (["clean", "x", "--set", "novalue"], "NAME=VALUE"),
    (["clean", "x", "--workers", "0"], "at least 1"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors(args: list[str], message: str, capfd: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(args)
    except SystemExit as stop:  # argparse's own errors
        code = stop.code
    assert code == 2 and message in capfd.readouterr().err


def test_unwritable_output_is_an_error(tmp_path: Path, seeds_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert main(["clean", str(seeds_dir), "-q", "-o", str(tmp_path / "afile" / "out.jsonl")]) == 1
    err = capfd.readouterr().err
    assert err.startswith("cleantext: error:") and err.count("\n") == 1


def test_set_coerces_to_the_field_type() -> None:
    from cleantext.cli import config_from_args

    args = build_parser().parse_args(["clean", "x", "--set", "template_min_count=5", "--set", "enabled=no",
                                      "--set", "normalization=none", "--set", "preferred_sources=a.kz, b.kz",
                                      "--set", "dedup.seed=7", "--strict", "-w", "3"])
    cfg = config_from_args(args)
    assert (cfg.boilerplate.template_min_count, cfg.boilerplate.enabled) == (5, False)
    assert cfg.repair.normalization is None and cfg.dedup.preferred_sources == ("a.kz", "b.kz")
    assert (cfg.dedup.seed, cfg.read.strict, cfg.workers) == (7, True, 3)


def test_set_reaches_the_stages(seeds_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(seeds_dir), "--set", "boilerplate.enabled=false", "-q"]) == 0
    docs = records(capfd.readouterr().out.encode())
    assert len(docs) == 5 and all(r["reason"].startswith("meta:") for d in docs for r in d["removed"])


def test_workers_give_the_same_output(run_cli: Run, tmp_path: Path, seeds_dir: Path, seeds_run) -> None:
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    two = run_cli("clean", "seeds", "--workers", "2", "-q")
    assert two.returncode == 0, two.stderr
    one = [{k: v for k, v in d.items() if k != "source"} for d in records(seeds_run[1].read_bytes())]
    assert [{k: v for k, v in d.items() if k != "source"} for d in records(two.stdout)] == one


def test_explain_marks_removed_spans(run_cli: Run, seeds_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    done = run_cli("explain", str(seeds_dir), "--id", "004_1a49cd29ca5904ab")
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert out.startswith("== 004_1a49cd29ca5904ab") and out.count("\n== ") == 0
    assert "[-" in out and "-][" in out and "\x1b[" not in out
    assert main(["explain", str(seeds_dir), "--id", "004_1a49cd29ca5904ab", "--color", "always"]) == 0
    assert "\x1b[2;9m" in capfd.readouterr().out


def test_explain_unknown_id_exits_3(seeds_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(seeds_dir), "--id", "nope", "--set", "enabled=false"]) == 3
    assert "1 of the requested ids were not found" in capfd.readouterr().err


def test_explain_stats_counts_removals_by_reason(seeds_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(seeds_dir), "--stats"]) == 0
    lines = capfd.readouterr().out.splitlines()
    assert lines[0].startswith("5 documents") and lines[1].split() == ["reason", "spans", "docs", "chars", "share"]
    assert len(lines) > 2 and all(":" in line.split()[0] for line in lines[2:])


def test_progress_line_only_when_enabled() -> None:
    import io

    from cleantext.progress import Progress, RunStats

    stats = RunStats(scanned=2)
    shown, silent = io.StringIO(), io.StringIO()
    bar = Progress(stats, shown, enabled=True, interval=0)
    bar.update()
    assert shown.getvalue() == "\r  pass 1 (templates): 2 documents "
    stats.documents = 3
    bar.update()
    bar.close()
    assert "\r  3 documents  0.0 MB" in shown.getvalue() and shown.getvalue().endswith("\r\x1b[K")
    Progress(stats, silent, enabled=False, interval=0).update()
    assert silent.getvalue() == ""


def test_render_marks_overlapping_spans_once() -> None:
    from cleantext.cli import render
    from cleantext.document import Document, Removal

    doc = Document(id="x", raw="keep DROP more\nlast", lang="ru",
                   removed=[Removal(5, 9, "widget:a", "DROP", 1.0), Removal(7, 14, "template:site", "OP more", 0.5)])
    assert render(doc, color=False) == ("== x  lang=ru\nkeep [-DROP-][widget:a 1.00][- more-][template:site 0.50]"
                                        "\nlast\n\n")


def test_dedupe_profile_prints_stages_and_processes(run_cli: Run, tmp_path: Path) -> None:
    lines = [json.dumps({"id": str(i), "text": f"Аким района {i} провёл встречу с жителями села номер {i % 9}. " * 4},
                        ensure_ascii=False) for i in range(80)]  # batches beyond the first go to the workers
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli("dedupe", "in.jsonl", "-o", "out", "--workers", "2", "--profile", "-q")
    assert done.returncode == 0, done.stderr
    err = done.stderr.decode()
    assert "language" in err and "total" in err
    line = next(ln for ln in err.splitlines() if ln.startswith("CPU: "))
    main, workers, _ = (float(part.split()[-2]) for part in line.split(", "))
    stages = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))["stage_seconds"]
    assert main > 0 and workers > 0 and main + workers >= 0.9 * sum(v["seconds"] for v in stages.values())
