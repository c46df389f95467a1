"""The real texts of the near-duplicate benchmark and the portals whose lines wrap them.

Articles: the corus news samples (ods, lenta, buriy, taiga, ria; MIT), the article bodies of the
article-extraction benchmark (MIT) and the project's seeds. Portals: real navigation, footer and
widget lines of the article-extraction pages and of the seeds.
"""
from __future__ import annotations

import bz2
import csv
import functools
import gzip
import html
import io
import json
import random
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

from dedup_edits import norm_words, shingles, split_sentences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
csv.field_size_limit(1 << 30)

MIN_ARTICLE_WORDS = 60
MAX_ARTICLE_WORDS = 1500
MAX_PARAGRAPH_WORDS = 160  # longer paragraphs are cut at sentence ends into chunks
# two real articles whose word 5-shingles overlap this much (containment of the smaller) are one
# story told twice: at SAME or more the later one is left out, between AMBIGUOUS and SAME their
# documents are not scored against each other (a containment rule may call them duplicates or not)
SAME, AMBIGUOUS = 0.6, 0.3

_CYR = "А-Яа-яЁё"


@dataclass
class Article:
    """A real article body: paragraphs, provenance and what it is about."""

    key: str  # provenance, e.g. "ods/meduza.csv.gz#3"
    source: str  # the collection it comes from (same source = hard negative candidates)
    lang: str
    url: str
    title: str
    topic: str
    paragraphs: list[str]
    raw: str | None = None  # a whole scraped page (seeds): used as it is for the original

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def _chunk_paragraph(p: str) -> list[str]:
    """A paragraph longer than MAX_PARAGRAPH_WORDS cut at sentence ends into ~60-150 word chunks."""
    if len(p.split()) <= MAX_PARAGRAPH_WORDS:
        return [p]
    out: list[str] = []
    cur: list[str] = []
    n = 0
    for s in split_sentences(p):
        cur.append(s)
        n += len(s.split())
        if n >= 90:
            out.append(" ".join(cur))
            cur, n = [], 0
    if cur:
        if out and n < 40:
            out[-1] += " " + " ".join(cur)
        else:
            out.append(" ".join(cur))
    return out


def _paragraphs(text: str) -> list[str]:
    paras = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n|\n", text)]
    return [c for p in paras if p for c in _chunk_paragraph(p)]


def _ods_text(text: str) -> str:
    """Undo the ods dumps' stripped newlines (a Latin "n" where a line break was)."""
    text = re.sub(r"(?<=[.!?»\"…:;)\]])n{1,2}(?=\s*[«\"A-ZА-ЯЁ—–\-\d])", "\n", text)
    text = re.sub(rf"(?<=[{_CYR},])n{{1,2}}(?=[A-Za-z{_CYR}«\"(\d])", " ", text)
    text = re.sub(rf"(?<=[{_CYR}])n(?=[,.;:!?)])", "", text)
    return re.sub(rf"(?<=[A-Za-z])n(?=[{_CYR}«])", " ", text)


def _article(key, source, lang, url, title, topic, text) -> Article | None:
    paras = _paragraphs(text)
    art = Article(key, source, lang, url or "", (title or "").strip(), (topic or "").strip(), paras)
    return art if MIN_ARTICLE_WORDS <= art.words <= MAX_ARTICLE_WORDS else None


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def load_ru_news(root: Path = DATA / "ru-news-samples") -> list[Article]:
    """Russian articles of the corus samples: ods, lenta, buriy, taiga, ria (HTML stripped)."""
    arts: list[Article | None] = []
    for f in sorted((root / "ods").glob("*.csv.gz")):
        for i, r in enumerate(_csv_rows(gzip.decompress(f.read_bytes()))):
            arts.append(_article(f"ods/{f.name}#{i}", f"ods/{f.name.split('.')[0]}", "ru", r["url"],
                                 r["title"], r["topics"], _ods_text(r["text"])))
    for i, r in enumerate(_csv_rows(gzip.decompress((root / "lenta-ru-news.csv.gz").read_bytes()))):
        arts.append(_article(f"lenta-ru-news#{i}", "lenta", "ru", r["url"], r["title"], r["topic"],
                             r["text"]))
    for f in sorted((root / "buriy").glob("*.tar.bz2")):
        with tarfile.open(fileobj=io.BytesIO(bz2.decompress(f.read_bytes()))) as tar:
            for m in sorted(tar.getmembers(), key=lambda m: m.name):
                if not m.name.endswith(".csv"):
                    continue
                for i, r in enumerate(_csv_rows(tar.extractfile(m).read())):
                    site = m.name.rsplit("-", 1)[-1].removesuffix(".csv")
                    arts.append(_article(f"buriy/{m.name}#{i}", f"buriy/{site}", "ru",
                                         r.get("url") or r.get("URL"), r["title"], r["topics"],
                                         r["text"]))
    for f in sorted((root / "taiga").glob("*.tar.gz")):
        with tarfile.open(f) as tar:
            members = sorted(tar.getmembers(), key=lambda m: m.name)
            meta = _taiga_meta(tar, members)
            for m in members:
                if "/texts/" in m.name and m.name.endswith(".txt"):
                    text = tar.extractfile(m).read().decode("utf-8")
                    tid = m.name.rsplit("/", 1)[-1].removesuffix(".txt")
                    title, topic, url = meta.get(tid) or meta.get(tid.split("_")[-1], ("", "", ""))
                    arts.append(_article(f"taiga/{m.name.split('/tsha/')[-1]}", f"taiga/{f.stem}",
                                         "ru", url, title, topic, text))
    for i, line in enumerate(gzip.decompress((root / "ria.json.gz").read_bytes()).decode().splitlines()):
        r = json.loads(line)
        text = re.sub(r"</p>|<br\s*/?>", "\n", r["text"])
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
        arts.append(_article(f"ria.json.gz#{i}", "ria-json", "ru", "", r.get("title", ""), "", text))
    return [a for a in arts if a]


def _taiga_meta(tar: tarfile.TarFile, members: list[tarfile.TarInfo]) -> dict[str, tuple[str, str, str]]:
    """textid -> (title, rubric, url) from the tab-separated metadata tables of a taiga archive."""
    out: dict[str, tuple[str, str, str]] = {}
    for m in members:
        if m.name.endswith(".csv") and "/texts/" not in m.name:
            rows = csv.DictReader(io.StringIO(tar.extractfile(m).read().decode("utf-8")), delimiter="\t")
            for r in rows:
                tid = r.get("textid") or (f"{r.get('source', '').lower()}_{r['id']}" if r.get("id") else "")
                rubric = (r.get("textrubric") or r.get("theme") or "").strip("[]'").split(">")[0]
                title = html.unescape(r.get("textname") or r.get("title") or "").strip(" •")
                out[tid] = (title, rubric,
                            r.get("source") if (r.get("source") or "").startswith("http") else r.get("URL") or "")
    return out


def load_english(root: Path = DATA / "article-extraction-benchmark") -> list[Article]:
    """The human-written article bodies of the article-extraction benchmark."""
    gt = json.loads((root / "ground-truth.json").read_text("utf-8"))
    arts = []
    for k in sorted(gt):
        body = gt[k]["articleBody"]
        a = _article(f"aeb/{k[:12]}", "aeb/" + _domain(gt[k]["url"]), _language(body),
                     gt[k]["url"], "", "", body)
        if a:
            arts.append(a)
    return arts


def _language(text: str) -> str:
    """The language of a text (langdetect, seeded: the same answer on every run)."""
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    return detect(text[:2000])


def script(lang: str) -> str:
    """The portal family of a language: Cyrillic ("ru") or Latin ("en")."""
    return "ru" if lang == "ru" else "en"


def load_seeds(root: Path = ROOT / "seeds") -> list[Article]:
    """The seeds as scraped pages; their body paragraphs are the lines of at least 20 words."""
    arts = []
    for f in sorted(root.glob("*.txt")):
        raw = f.read_text("utf-8")
        paras = [ln.strip() for ln in raw.splitlines() if len(ln.split()) >= 20]
        arts.append(Article(f"seeds/{f.name}", "seeds", "ru", "", "", "akim elections", paras, raw))
    return arts


def _domain(url: str) -> str:
    m = re.match(r"[a-z]+://(?:www\.)?([^/]+)", url or "")
    return m.group(1) if m else ""


# ---------------------------------------------------------------- portal boilerplate (real lines)


@dataclass
class Portal:
    """A site: fixed header/footer lines (its template) and a pool of rotating widget lines."""

    domain: str
    lang: str
    header: list[str]
    footer: list[str]
    widgets: list[str]
    line_sep: str  # between junk lines
    para_sep: str  # between body paragraphs
    counters: bool  # widget lines come with view/comment counters


def _junk_lines(page: str, body: str) -> tuple[list[str], list[str]]:
    """Lines of a whole-page text before and after its article body (short lines only)."""
    lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
    body_lines = {ln.strip() for ln in body.splitlines() if ln.strip()}
    idx = [i for i, ln in enumerate(lines) if ln in body_lines and len(ln.split()) >= 8]
    if not idx:
        return [], []

    def short(xs: list[str]) -> list[str]:
        return [x for x in xs if len(x.split()) <= 20 and x not in body_lines]

    return short(lines[:idx[0]]), short(lines[idx[-1] + 1:])


def load_junk(root: Path = DATA / "article-extraction-benchmark",
              seeds: list[Article] | None = None) -> dict[str, list[tuple[str, list[str], list[str]]]]:
    """Per language, (domain, header lines, footer lines) of real pages; seeds add Russian widgets."""
    pages = json.loads((root / "html-text.json").read_text("utf-8"))["output"]
    gt = json.loads((root / "ground-truth.json").read_text("utf-8"))
    out: dict[str, list[tuple[str, list[str], list[str]]]] = {"en": [], "ru": []}
    for k in sorted(gt):
        head, foot = _junk_lines(pages[k]["articleBody"], gt[k]["articleBody"])
        if len(head) + len(foot) >= 6:
            cyr = sum("а" <= ch <= "я" for ch in gt[k]["articleBody"][:1000]) > 200
            out["ru" if cyr else "en"].append((_domain(gt[k]["url"]), head, foot))
    for s in seeds or []:
        lines = [ln.strip() for ln in (s.raw or "").splitlines()]
        junk = [ln for ln in lines if ln and len(ln.split()) < 20]
        body_at = [i for i, ln in enumerate(lines) if len(ln.split()) >= 20]
        head = [ln for ln in lines[:body_at[0]] if ln in junk] if body_at else []
        foot = [ln for ln in lines[body_at[-1] + 1:] if ln in junk] if body_at else junk
        out["ru"].append((s.key, head, foot))
    return out


_RU_SITES = ["caravan.kz", "kazpravda.kz", "tengrinews.kz", "ntv.ru", "svpressa.ru", "rbc.ru",
             "fontanka.ru", "cnews.ru", "e-news.su", "novosti-n.org", "1tv.ru", "kommersant.ru"]


def make_portals(rng: random.Random, junk: dict[str, list[tuple[str, list[str], list[str]]]]
                 ) -> dict[str, list[Portal]]:
    """Portals per language, each a template drawn from real page lines."""
    portals: dict[str, list[Portal]] = {"en": [], "ru": []}
    for lang, pages in junk.items():
        pool = [ln for _, h, f in pages for ln in h + f]
        for i, (domain, head, foot) in enumerate(pages):
            if lang == "ru":
                domain = _RU_SITES[i % len(_RU_SITES)] + ("" if i < len(_RU_SITES) else f"/{i}")
                extra = rng.sample(pool, min(len(pool), rng.randint(3, 12)))
                head = head + extra[: len(extra) // 2]
                foot = foot + extra[len(extra) // 2:]
            header = head[: rng.randint(3, 25)]
            footer = foot[: rng.randint(2, 25)] if foot else head[-rng.randint(2, 6):]
            widgets = [ln for ln in head + foot if ln not in header and ln not in footer]
            widgets += rng.sample(pool, min(len(pool), 10))
            portals[lang].append(Portal(domain, lang, header, footer, widgets,
                                        rng.choice(["\n", "\n", "\n\n"]),
                                        rng.choice(["\n\n", "\n\n", "\n"]), rng.random() < 0.4))
    return portals


def hash_str(s: str) -> int:
    """A stable string hash (FNV-1a), unlike the built-in hash()."""
    h = 2166136261
    for ch in s.encode():
        h = ((h ^ ch) * 16777619) & 0xFFFFFFFF
    return h


def near_duplicate_articles(arts: list[Article], limit: float = 0.3) -> list[tuple[str, str, float]]:
    """Pairs of real articles whose normalised word 5-shingles overlap (containment >= limit)."""
    sh = {a.key: shingles(norm_words(" ".join(a.paragraphs)), 5) for a in arts}
    index: dict[tuple[str, ...], list[str]] = {}
    for k, s in sh.items():
        for g in s:
            index.setdefault(g, []).append(k)
    out = []
    for k, s in sorted(sh.items()):
        for c in sorted({c for g in s for c in index[g] if c > k}):
            cont = len(s & sh[c]) / min(len(s), len(sh[c]))
            if cont >= limit:
                out.append((k, c, round(cont, 3)))
    return out


@functools.lru_cache(maxsize=1)
def load_all() -> tuple[Article, ...]:
    """Every usable real article: seeds, Russian news samples, English bodies (duplicates out).

    Cached: the articles are shared, never modify them.
    """
    arts = load_seeds() + load_ru_news() + load_english()
    seen, out = set(), []
    for a in arts:
        sig = " ".join(norm_words(" ".join(a.paragraphs))[:60])
        if sig not in seen:
            seen.add(sig)
            out.append(a)
    dup = {b for _, b, c in near_duplicate_articles(out, AMBIGUOUS) if c >= SAME}
    return tuple(a for a in out if a.key not in dup)


@functools.lru_cache(maxsize=1)
def page_junk() -> dict[str, list[tuple[str, list[str], list[str]]]]:
    """The junk lines of every page (cached)."""
    return load_junk(seeds=[a for a in load_all() if a.raw])
