"""Typing features and fits are reproducible: the same inputs give bit-identical parameters in any process.

A held-out figure must not move between runs of the same folds. It did (0.501 against 0.517 macro-F1),
because sums over a provision's token *set* followed the set's iteration order, which changes with each
process's string hashing (``PYTHONHASHSEED``), and the inner CV's near-ties then went either way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Computes the pair features of a few provisions and fits the type model on them, then prints every
# feature and parameter exactly (repr of floats).
SCRIPT = textwrap.dedent(
    """
    import json, math
    import numpy as np
    from concord.engine.encoders import HashingEncoder
    from concord.engine.lexical import tokenize
    from concord.engine.relate import FEATURES, LogisticModel, PairEvidence, Side
    from concord.engine.relate import pair_features, split_sentences

    enc = HashingEncoder()
    texts = [
        "The controller shall notify the Commissioner of a personal data breach within 72 hours, "
        "including the categories and approximate number of data subjects and records concerned.",
        "The controller shall notify the Commissioner of a personal data breach without undue delay.",
        "Every organisation shall maintain an inventory of all enterprise assets, software, accounts, "
        "service providers and data, and review and update the inventory bi-annually.",
        "Inventories of hardware, software, services and systems managed by the organisation are maintained.",
        "Personal data shall be processed only with the consent of the data subject, except where "
        "processing is necessary for compliance with a legal obligation or to protect vital interests.",
        "Processing is lawful only where the data subject has given consent or a legal basis applies.",
    ]
    def side(text):
        sentences = split_sentences(text)
        # the query and passage vectors of the query/passage features: a passage read apart from a query
        return Side(text, enc.encode([text])[0], sentences, enc.encode([s.text for s in sentences]),
                    frozenset(tokenize(text, "en")), "en", enc.encode([text], kind="query")[0],
                    enc.encode(["passage: " + text], kind="passage")[0])
    sides = [side(t) for t in texts]
    vocabulary = sorted(set().union(*(s.tokens for s in sides)))
    # idf values of very different magnitudes, so that the order of a sum changes its last bits
    idf = {t: math.log(1.0 + 1e4 / (3 * i + 1)) / (i % 7 + 1) for i, t in enumerate(vocabulary)}
    rows, labels = [], []
    for i, a in enumerate(sides):
        for j, b in enumerate(sides):
            if i != j:
                f = pair_features(a, b, PairEvidence(2.0, 1.5, 1.0), idf)["features"]
                rows.append([f[name] for name in FEATURES])
                labels.append(["equivalent-to", "subset-of", "superset-of"][(i + j) % 3])
    model = LogisticModel.fit(np.array(rows), labels, ["equivalent-to", "subset-of", "superset-of"],
                              list(FEATURES), l2=10.0, iterations=300)
    print(json.dumps({"rows": [[repr(v) for v in r] for r in rows],
                      "weights": [[repr(v) for v in r] for r in model.weights],
                      "bias": [repr(v) for v in model.bias]}))
    """
)


def run(hash_seed: str, threads: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "OPENBLAS_NUM_THREADS": threads}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_two_runs_of_a_small_fit_give_identical_features_and_parameters():
    first, second = run("1", "1"), run("2", "2")
    assert first["rows"] == second["rows"]
    assert first["weights"] == second["weights"]
    assert first["bias"] == second["bias"]
