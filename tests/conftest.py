"""Shared fixtures: the repository's sample corpus and a runner for the real command line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The five sample documents (seeds/*.txt; seeds/README.md is not a document)."""
    return SEEDS


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """Run ``python -m cleantext ARGS`` in ``tmp_path`` as a real subprocess (no TTY)."""

    def run(*args: str, stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        return subprocess.run([sys.executable, "-m", "cleantext", *args], cwd=tmp_path, env=env,
                              input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                              capture_output=True, timeout=timeout)

    return run
