#!/usr/bin/env python3
"""Golden values for the agreement statistics in src/core/stats (J1 files): cohen-kappa.ts,
weighted-kappa.ts, rank-correlation.ts, krippendorff-alpha.ts and rogan-gladen.ts.

Named references:
- Cohen's kappa (nominal) and linear / quadratic weighted kappa, with the asymptotic standard error and
  the 95% Wald interval: statsmodels.stats.inter_rater.cohens_kappa (std_kappa, kappa_low, kappa_upp).
- Spearman rho and Kendall tau-b (with ties): scipy.stats.spearmanr / scipy.stats.kendalltau.
- Krippendorff's alpha: an independent reference below that works from pairs of values within units
  (not from the coincidence matrix the TS code uses), checked against Krippendorff's published values
  for his 4-coder x 12-unit example with missing data (stats-judges.md section 8.7).
- Rogan-Gladen corrected prevalence with its delta-method interval: the hand-written reference below
  (formula in rogan-gladen.ts), checked against the worked example of stats-judges.md section 5.8.
Undefined values (NaN) are written as null.

Requires Debian's python3-scipy and python3-statsmodels.
Run from the repository root: /usr/bin/python3 test/golden/make-agreement-golden.py
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
import statsmodels
from scipy.stats import kendalltau, norm, spearmanr
from statsmodels.stats.inter_rater import cohens_kappa

warnings.simplefilter("ignore")


def num(x):
    x = float(x)
    return None if math.isnan(x) else x


# --- Cohen's kappa and weighted kappa ------------------------------------------------------------------
TABLES = [
    [[45, 5], [10, 40]],                      # stats-judges.md 5.5 worked example -> 0.70
    [[90, 5], [5, 0]],                        # prevalence paradox -> -0.0526
    [[30, 0], [0, 20]],                       # perfect agreement
    [[0, 12], [9, 0]],                        # perfect disagreement
    [[17, 3], [0, 0]],                        # one rater uses one class only
    [[20, 0], [0, 0]],                        # both raters one class: undefined
    [[1, 0], [0, 0]],                         # n = 1: undefined
    [[0, 1], [0, 0]],                         # n = 1, disagreeing
    [[22, 3, 1], [4, 15, 2], [0, 5, 18]],     # nominal, three classes
    [[5, 2, 0, 0, 0], [1, 8, 3, 0, 0], [0, 2, 10, 4, 1], [0, 0, 3, 9, 2], [0, 0, 1, 2, 6]],
    [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
    [[3, 1], [1, 3]],
]
VALUED = [([[5, 2, 0], [1, 8, 3], [0, 2, 10]], [1, 2, 5])]  # unequally spaced category values

cohen = []
weighted = []
for table in TABLES:
    r = cohens_kappa(np.array(table))
    cohen.append({"table": table, "kappa": num(r.kappa), "se": num(r.std_kappa), "lower": num(r.kappa_low),
                  "upper": num(r.kappa_upp)})
    for wt in ("linear", "quadratic"):
        rw = cohens_kappa(np.array(table), wt=wt)
        weighted.append({"table": table, "weighting": wt, "values": None, "kappa": num(rw.kappa),
                         "se": num(rw.std_kappa), "lower": num(rw.kappa_low), "upper": num(rw.kappa_upp)})
for table, values in VALUED:
    for wt in ("linear", "quadratic"):
        rw = cohens_kappa(np.array(table), weights=np.array(values, float), wt=wt)
        weighted.append({"table": table, "weighting": wt, "values": values, "kappa": num(rw.kappa),
                         "se": num(rw.std_kappa), "lower": num(rw.kappa_low), "upper": num(rw.kappa_upp)})
assert abs(cohen[0]["kappa"] - 0.70) < 1e-12
assert abs(cohen[1]["kappa"] - (-0.0526)) < 1e-4

# --- Spearman and Kendall tau-b ------------------------------------------------------------------------
PAIRS = [
    ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]),
    ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]),
    ([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]),                          # judge 2 points kinder: rho = tau = 1
    ([1, 1, 2, 2, 3, 3, 4, 5], [1, 2, 2, 2, 3, 4, 4, 5]),        # ties in both
    ([5, 4, 4, 3, 1, 2, 5, 3, 2, 1, 4, 4], [4, 4, 5, 3, 2, 2, 5, 2, 1, 1, 3, 5]),
    ([1, 0, 1, 1, 0, 0, 1], [1, 0, 0, 1, 0, 1, 1]),              # binary
    ([3.5, 1.2, 9.9, 4.4, 0.3, 7.7], [2.0, 1.0, 8.5, 5.0, 0.1, 6.0]),
    ([2, 2, 2, 2], [1, 2, 3, 4]),                                 # constant: undefined
    ([1, 2], [2, 1]),
]
ranks = []
for x, y in PAIRS:
    if len(set(x)) < 2 or len(set(y)) < 2:
        rho, tau = float("nan"), float("nan")
    else:
        rho = spearmanr(x, y).correlation
        tau = kendalltau(x, y).correlation
    ranks.append({"x": x, "y": y, "spearman": num(rho), "kendall": num(tau)})


# --- Krippendorff's alpha: independent pairwise reference ---------------------------------------------
def alpha_reference(units, level):
    units = [[v for v in u if v is not None] for u in units]
    units = [u for u in units if len(u) >= 2]
    pooled = [v for u in units for v in u]
    n = len(pooled)
    counts = {}
    for v in pooled:
        counts[v] = counts.get(v, 0) + 1

    def d2(a, b):
        if a == b:
            return 0.0
        if level == "nominal":
            return 1.0
        if level == "interval":
            return (a - b) ** 2
        if level == "ratio":
            return ((a - b) / (a + b)) ** 2
        lo, hi = min(a, b), max(a, b)
        between = sum(c for g, c in counts.items() if lo <= g <= hi)
        return (between - (counts[a] + counts[b]) / 2) ** 2

    if n < 2:
        return float("nan")
    d_o = sum(sum(d2(a, b) for i, a in enumerate(u) for j, b in enumerate(u) if i != j) / (len(u) - 1)
              for u in units) / n
    d_e = sum(d2(a, b) for i, a in enumerate(pooled) for j, b in enumerate(pooled) if i != j) / (n * (n - 1))
    return float("nan") if d_e == 0 else 1 - d_o / d_e


N = None
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": rows are units, columns coders A-D.
KRIPPENDORFF_EXAMPLE = [
    [1, 1, N, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [N, 5, 5, 5], [N, N, 1, 1], [N, 3, N, N],
]
ALPHA_DATA = [
    ("krippendorff-2011", KRIPPENDORFF_EXAMPLE),
    ("perfect", [[1, 1, 1], [2, 2, 2], [3, 3, N], [1, 1, 1]]),
    ("one value only", [[4, 4], [4, 4, 4], [4, N]]),
    ("single pairable unit", [[1, 2], [3, N], [N, N]]),
    ("two raters binary", [[1, 1], [0, 0], [1, 0], [1, 1], [0, 1], [1, 1], [0, 0], [1, 1]]),
    ("ties and missing", [[1, 2, 2], [3, 3, N], [5, 4, 4, 5], [2, N, 1], [4, 4, 4], [1, 1, 2], [N, 3, 3]]),
]
alpha = []
for name, units in ALPHA_DATA:
    row = {"name": name, "units": units}
    for level in ("nominal", "ordinal", "interval", "ratio"):
        row[level] = num(alpha_reference(units, level))
    alpha.append(row)
published = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
for level, value in published.items():
    assert abs(alpha[0][level] - value) < 5e-4, (level, alpha[0][level])


# --- Rogan-Gladen ---------------------------------------------------------------------------------------
def rogan_gladen(judge_passes, n, tp, pos, tn, neg, conf=0.95):
    p, se_, sp = judge_passes / n, tp / pos, tn / neg
    j = se_ + sp - 1
    if j < 0.5:
        return {"corrected": False, "youden": j}
    pi = (p + sp - 1) / j
    grad = np.array([1 / j, -pi / j, (1 - pi) / j])
    cov = np.diag([p * (1 - p) / n, se_ * (1 - se_) / pos, sp * (1 - sp) / neg])
    s = float(math.sqrt(grad @ cov @ grad))
    z = float(norm.ppf(1 - (1 - conf) / 2))
    clip = lambda x: min(1.0, max(0.0, x))
    return {"corrected": True, "estimate": clip(pi), "unclipped": pi, "se": s, "lower": clip(pi - z * s),
            "upper": clip(pi + z * s), "youden": j}


RG = [
    (60, 100, 45, 55, 40, 45),      # stats-judges.md 5.8 / 8.5 example: 69.1%
    (300, 1000, 90, 100, 95, 100),
    (2, 50, 40, 50, 45, 50),        # below the false-pass floor: clipped at 0
    (49, 50, 40, 50, 48, 50),       # clipped at 1
    (30, 40, 20, 20, 30, 30),       # perfect judge: only the eval-set variance remains
    (50, 100, 35, 50, 35, 50),      # J = 0.4: refused
    (1, 1, 9, 10, 9, 10),           # n = 1
]
rogan = []
for jp, n, tp, pos, tn, neg in RG:
    rogan.append({"judgePasses": jp, "n": n, "truePositives": tp, "humanPositives": pos, "trueNegatives": tn,
                  "humanNegatives": neg, **rogan_gladen(jp, n, tp, pos, tn, neg)})
assert abs(rogan[0]["estimate"] - 0.6917) < 1e-3
assert rogan[5]["corrected"] is False

out = {
    "generator": "test/golden/make-agreement-golden.py",
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
    "cohenKappa": cohen,
    "weightedKappa": weighted,
    "rankCorrelation": ranks,
    "krippendorffAlpha": alpha,
    "roganGladen": rogan,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "agreement.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
    f.write("\n")
print(f"wrote {path}")
