"""Orchestration: order, pass-through of skips, offsets, determinism across workers and order."""
from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import pytest

from cleantext import pipeline
from cleantext.config import Config
from cleantext.document import Document
from cleantext.io import read_inputs, read_items
from cleantext.pipeline import (build_templates, clean_document, clean_documents, clean_items,
                                clean_paths, clean_results)
from cleantext.text.segment import join_blocks

CFG = Config()


def seed_docs(seeds_dir: Path) -> list[Document]:
    return list(read_inputs([str(seeds_dir)], CFG.read))


def outcome(doc: Document) -> dict:
    return doc.to_dict()


def test_order_is_kept_and_skips_pass_through(seeds_dir: Path) -> None:
    docs = seed_docs(seeds_dir)
    skipped = Document(id="bad", raw="", skipped="binary", notes=["binary: x"])
    out = list(clean_documents([docs[2], skipped, docs[0]], CFG))
    assert [d.id for d in out] == [docs[2].id, "bad", docs[0].id]
    assert out[1] is skipped and out[1].text == "" and out[1].removed == []


def test_every_removed_span_points_into_the_raw_text(seeds_dir: Path) -> None:
    docs = seed_docs(seeds_dir)
    for doc in clean_documents(docs, CFG, build_templates(seed_docs(seeds_dir), CFG)):
        assert doc.text and doc.lang == "ru"
        assert [r.start for r in doc.removed] == sorted(r.start for r in doc.removed)
        for r in doc.removed:
            assert 0 <= r.start < r.end <= len(doc.raw)
            assert doc.raw[r.start:r.end] == r.text
            assert r.reason and ":" in r.reason


def test_kept_blocks_make_the_clean_text(seeds_dir: Path) -> None:
    for result in clean_results(seed_docs(seeds_dir), CFG):
        assert result.blocks and join_blocks(result.blocks) == result.doc.text


def test_input_order_does_not_change_any_document(seeds_dir: Path) -> None:
    forward = {r.doc.id: outcome(r.doc) for r in clean_items(seed_docs(seeds_dir), CFG)}
    backward = {r.doc.id: outcome(r.doc) for r in clean_items(seed_docs(seeds_dir)[::-1], CFG)}
    assert forward == backward


def test_workers_give_the_same_output(seeds_dir: Path) -> None:
    one = [outcome(r.doc) for r in clean_paths([str(seeds_dir)], CFG)]
    two = [outcome(r.doc) for r in clean_paths([str(seeds_dir)], CFG.replace(workers=2))]
    assert one == two


def test_stdin_is_read_twice_for_templates(seeds_dir: Path) -> None:
    docs = seed_docs(seeds_dir)
    lines = "".join(json.dumps({"id": d.id, "text": d.raw}, ensure_ascii=False) + "\n" for d in docs)
    from_stdin = list(clean_paths(["-"], CFG, stdin=io.BytesIO(lines.encode())))
    from_files = list(clean_paths([str(seeds_dir)], CFG))
    assert [r.doc.text for r in from_stdin] == [r.doc.text for r in from_files]
    assert [r.doc.removed for r in from_stdin] == [r.doc.removed for r in from_files]


def test_the_template_pass_leaves_documents_unchanged(seeds_dir: Path) -> None:
    docs = seed_docs(seeds_dir)
    before = [outcome(d) for d in docs]
    build_templates(docs, CFG)
    assert [outcome(d) for d in docs] == before


def test_template_pass_reports_each_document_read(seeds_dir: Path) -> None:
    seen: list[int] = []
    results = list(clean_paths([str(seeds_dir)], CFG, on_scan=lambda: seen.append(len(seen))))
    assert len(seen) == len(results) == 5


def test_closed_stdin_with_templates_is_a_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)
    [result] = clean_paths(["-"], CFG)
    assert result.doc.skipped == "unreadable"


def test_one_shot_iterables_are_spooled_for_the_second_pass(seeds_dir: Path) -> None:
    listed = [outcome(r.doc) for r in clean_items(seed_docs(seeds_dir), CFG)]
    streamed = [outcome(r.doc) for r in clean_items(iter(seed_docs(seeds_dir)), CFG)]
    assert listed == streamed


def test_no_template_pass_when_templates_are_off(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a, **_k):
        raise AssertionError("pass 1 must not run")

    monkeypatch.setattr(pipeline, "build_templates", fail)
    cfg = CFG.with_options(templates=False)
    assert len(list(clean_paths([str(seeds_dir)], cfg))) == 5
    assert len(list(clean_paths([str(seeds_dir)], CFG.with_options(enabled=False)))) == 5


def test_boilerplate_off_removes_only_metadata(seeds_dir: Path) -> None:
    for doc in clean_documents(seed_docs(seeds_dir), CFG.with_options(enabled=False)):
        assert all(r.reason.startswith("meta:") for r in doc.removed)


def test_a_failing_stage_skips_the_document_as_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text, cfg):
        raise ValueError("broken detector")

    monkeypatch.setattr(pipeline, "detect_language", boom)
    doc = clean_document(Document(id="x", raw="Some text here."), CFG).doc
    assert doc.skipped == "error" and doc.notes == ["error: ValueError: broken detector"]
    assert doc.text == "" and doc.removed == []
    with pytest.raises(ValueError):
        clean_document(Document(id="y", raw="Some text here."), CFG.with_options(strict=True))


def test_a_batch_labels_languages_as_one_document_at_a_time(seeds_dir: Path) -> None:
    docs = seed_docs(seeds_dir)
    texts = ["Это новость о выборах акимов в Казахстане, и она написана по-русски.",
             "This is a news story about local elections, written in plain English."]
    docs += [Document(id=f"t{k}", raw=t) for k, t in enumerate(texts)]
    one = [clean_document(pickle.loads(pickle.dumps(d)), CFG).doc.to_dict() for d in docs]
    batch = [r.doc.to_dict() for r in pipeline.clean_batch([pickle.loads(pickle.dumps(d)) for d in docs], CFG)]
    assert batch == one and [d["lang"] for d in batch[-2:]] == ["ru", "en"]


def test_a_batch_skips_only_the_document_whose_language_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def batch_boom(texts, cfg):
        raise ValueError("broken batch")

    def boom(text, cfg):
        if "broken" in text:
            raise ValueError("broken detector")
        return "en"

    monkeypatch.setattr(pipeline, "detect_languages", batch_boom)
    monkeypatch.setattr(pipeline, "detect_language", boom)
    docs = [Document(id="a", raw="Some text here."), Document(id="b", raw="A broken text."),
            Document(id="c", raw="More text here.")]
    out = [r.doc for r in pipeline.clean_batch(docs, CFG)]
    assert [(d.skipped, d.lang) for d in out] == [(None, "en"), ("error", "und"), (None, "en")]
    assert out[1].notes == ["error: ValueError: broken detector"] and out[1].text == ""
    with pytest.raises(ValueError):
        pipeline.clean_batch([Document(id="y", raw="A broken text.")], CFG.with_options(strict=True))


def _block_counts(results: list, cfg: Config) -> list[int]:
    return [len(r.blocks) for r in results]


def test_batches_can_come_back_without_their_results(seeds_dir: Path) -> None:
    full = list(pipeline.clean_path_batches([str(seeds_dir)], Config(workers=2), then=_block_counts))
    light = list(pipeline.clean_path_batches([str(seeds_dir)], Config(workers=2), then=_block_counts,
                                             results=False))
    assert [n for _, counts in light for n in counts] == [len(r.blocks) for b, _ in full for r in b]
    assert all(r.blocks for b, _ in full for r in b) and not any(b for b, _ in light)


def _duplicates_across_batches(tmp_path: Path) -> Path:
    """100 records (batches hold 32): ids repeat from the 46th on, into later batches and within one;
    the repeats carry a line of their own, so counting them in the template pass would show."""
    lines = []
    for i in range(100):
        text = f"Новость номер {i} о выборах акима в районе.\nАкимы избраны в {i % 7 + 2} сельских округах."
        if i >= 45:
            text += "\nРеклама: подпишитесь на канал новостей сегодня"
        lines.append(json.dumps({"id": f"d{i % 45 if i < 90 else 50}", "text": text,
                                 "url": f"https://news.kz/{i}"}, ensure_ascii=False))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("templates", [True, False])
def test_duplicate_ids_across_batches_are_skipped_as_one_read_skips_them(tmp_path: Path, workers: int,
                                                                         templates: bool) -> None:
    path = _duplicates_across_batches(tmp_path)
    cfg = CFG.with_options(templates=templates).replace(workers=workers)
    expected = [(d.id, d.source, d.skipped, d.notes) for d in read_inputs([str(path)], cfg.read)]
    got = [(r.doc.id, r.doc.source, r.doc.skipped, r.doc.notes) for r in clean_paths([str(path)], cfg)]
    assert got == expected and sum(s == "duplicate_id" for _, _, s, _ in got) == 54


def test_template_pass_on_raw_items_counts_what_one_read_counts(tmp_path: Path) -> None:
    path = _duplicates_across_batches(tmp_path)
    one_read = build_templates(read_inputs([str(path)], CFG.read), CFG)
    for workers in (1, 2):
        cfg = CFG.replace(workers=workers)
        assert pickle.dumps(build_templates(read_items([str(path)], cfg.read), cfg)) == pickle.dumps(one_read)
