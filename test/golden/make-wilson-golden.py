#!/usr/bin/env python3
"""Golden values for src/core/stats/wilson.ts and normal-quantile.ts, from an independent implementation.

Requires Debian's python3-statsmodels and python3-scipy (apt-get install -y python3-statsmodels python3-scipy).
Run from the repository root: /usr/bin/python3 test/golden/make-wilson-golden.py
"""
import json
import os

import scipy
import statsmodels
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

# (successes, n, confidence)
INTERVALS = [
    (17, 20, 0.95),
    (5, 5, 0.95),
    (10, 10, 0.95),
    (0, 10, 0.95),
    (42, 60, 0.95),
    (48, 60, 0.95),
    (0, 1, 0.95),
    (1, 1, 0.95),
    (1000, 1001, 0.95),
    (1, 1001, 0.95),
    (17, 20, 0.9),
    (42, 60, 0.9),
    (17, 20, 0.99),
    (0, 30, 0.99),
    (3, 7, 0.8),
    (50, 100, 0.95),
    (9999, 10000, 0.999),
]

# (proportion, n, confidence): a mean of per-case pass rates over n cases (repeats), not a whole count.
PROPORTIONS = [
    (0.74, 10, 0.95),
    (0.625, 4, 0.95),
    (0.04, 5, 0.95),
    (0.9666666666666667, 30, 0.95),
    (0.5, 2, 0.9),
    (1.0, 3, 0.95),
    (0.0, 3, 0.95),
]

QUANTILE_PS = [
    1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.425,
    0.45, 0.5, 0.55, 0.575, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9995, 1 - 1e-10,
]

intervals = []
for successes, n, confidence in INTERVALS:
    lower, upper = proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
    intervals.append({
        "successes": successes,
        "n": n,
        "confidence": confidence,
        "estimate": successes / n,
        "lower": float(lower),
        "upper": float(upper),
    })

proportions = []
for p, n, confidence in PROPORTIONS:
    lower, upper = proportion_confint(p * n, n, alpha=1 - confidence, method="wilson")
    proportions.append({"p": p, "n": n, "confidence": confidence, "lower": float(lower), "upper": float(upper)})

quantiles = [{"p": p, "z": float(norm.ppf(p))} for p in QUANTILE_PS]

out = {
    "generator": "test/golden/make-wilson-golden.py",
    "source": f"statsmodels {statsmodels.__version__} proportion_confint(method='wilson'); scipy {scipy.__version__} norm.ppf",
    "intervals": intervals,
    "proportions": proportions,
    "quantiles": quantiles,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wilson.json")
with open(path, "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(f"wrote {path}: {len(intervals)} intervals, {len(quantiles)} quantiles")
