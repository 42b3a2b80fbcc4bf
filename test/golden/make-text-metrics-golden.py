#!/usr/bin/env python3
"""Golden values for the rouge-l and bleu checks (src/core/checks/rouge-l.ts, sentence-bleu.ts).

BLEU: NLTK's sentence_bleu with SmoothingFunction().method1 (Debian: apt-get install -y python3-nltk).
ROUGE-L: no Debian package ships rouge-score, so this file carries its own plain LCS implementation,
written separately from the TypeScript one (full DP table here, rolling rows there).
Tokenisation (same rule as docs/checks.md): lowercase, then maximal runs of Unicode letters/digits.
Run from the repository root: /usr/bin/python3 test/golden/make-text-metrics-golden.py
"""
import json
import os
import re

import nltk
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu


def tokens(text):
    # [^\W_] = word characters minus underscore = Unicode letters and digits.
    return re.findall(r"[^\W_]+", text.lower())


def lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        for j, y in enumerate(b, 1):
            table[i][j] = table[i - 1][j - 1] + 1 if x == y else max(table[i - 1][j], table[i][j - 1])
    return table[len(a)][len(b)]


def rouge_l(candidate, reference):
    c, r = tokens(candidate), tokens(reference)
    if not c or not r:
        return {"precision": 0.0, "recall": 0.0, "fmeasure": 0.0}
    common = lcs(c, r)
    p, rec = common / len(c), common / len(r)
    f = 0.0 if p + rec == 0 else 2 * p * rec / (p + rec)
    return {"precision": p, "recall": rec, "fmeasure": f}


ROUGE = [
    ("identical", "The refund was issued on Monday.", "The refund was issued on Monday."),
    ("disjoint", "apples and oranges", "quantum chromodynamics lecture"),
    ("punctuation and case", "Refund, PLEASE!", "refund please"),
    ("partial overlap", "the cat sat on the mat", "the cat was sitting on a mat"),
    ("reordered", "monday on issued was refund the", "the refund was issued on monday"),
    ("short hypothesis", "refund", "your refund has been issued"),
    ("longer candidate", "police killed the gunman and then went home early", "the gunman was killed by police"),
    ("accented letters", "Le café est très bon", "le cafe est tres bon"),
    ("empty candidate", "", "something to match"),
    ("repeated tokens", "the the the the", "the cat the dog"),
]

BLEU = [
    ("identical", ["the quick brown fox jumps over the lazy dog"], "the quick brown fox jumps over the lazy dog"),
    ("disjoint", ["the quick brown fox"], "completely unrelated words here"),
    ("short hypothesis, 2 tokens", ["the cat sat on the mat"], "the cat"),
    ("short hypothesis, 3 tokens", ["the cat sat on the mat"], "the cat sat"),
    ("single token", ["refund issued"], "refund"),
    ("punctuation and case", ["The order #123 has shipped."], "the ORDER 123 has shipped"),
    (
        "multiple references",
        [
            "It is a guide to action that ensures that the military will forever heed Party commands",
            "It is the guiding principle which guarantees the military forces always being under the command of the Party",
            "It is the practical guide for the army always to heed the directions of the party",
        ],
        "It is a guide to action which ensures that the military always obeys the commands of the party",
    ),
    (
        "multiple references, closest length tie",
        ["a b c d e f", "a b c d e f g h"],
        "a b c d x f g",
    ),
    ("clipped repeats", ["the cat is on the mat"], "the the the the the the the"),
    ("partial overlap", ["your refund was issued on monday and will arrive soon"], "the refund was issued monday"),
    ("longer hypothesis", ["refund issued"], "your refund was issued today and it will arrive in five days"),
    ("empty hypothesis", ["something"], ""),
]

rouge_out = [
    {"name": name, "candidate": c, "reference": r, **rouge_l(c, r)} for name, c, r in ROUGE
]
smooth = SmoothingFunction().method1
bleu_out = []
for name, refs, hyp in BLEU:
    score = sentence_bleu([tokens(r) for r in refs], tokens(hyp), smoothing_function=smooth)
    bleu_out.append({"name": name, "references": refs, "hypothesis": hyp, "score": float(score)})

out = {
    "generator": "test/golden/make-text-metrics-golden.py",
    "source": f"nltk {nltk.__version__} sentence_bleu + SmoothingFunction().method1; ROUGE-L: plain Python LCS in this script",
    "rougeL": rouge_out,
    "bleu": bleu_out,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "text-metrics.json")
with open(path, "w") as f:
    json.dump(out, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"wrote {path}: {len(rouge_out)} rouge-l, {len(bleu_out)} bleu")
