#!/usr/bin/env python3
"""Golden values for src/core/stats/{bootstrap,permutation,clustered}.ts, from scipy and statsmodels.

Requires Debian's python3-scipy and python3-statsmodels (apt-get install -y python3-scipy python3-statsmodels).
Run from the repository root: /usr/bin/python3 test/golden/make-resampling-golden.py

- bootstrap_exact: fixed resample index arrays (drawn here with a seeded numpy Generator and committed),
  the statistic of each resample, and the percentile interval from numpy.percentile (linear interpolation,
  the definition scipy.stats.bootstrap(method='percentile') uses). The TS test feeds the same indices to
  bootstrapFromIndices and must agree to 1e-9.
- bootstrap_monte_carlo: scipy.stats.bootstrap(method='percentile', n_resamples=10000) on a committed
  sample, run with 20 seeds: the mean endpoints and their spread between seeds (the Monte-Carlo SD of one
  run). The TS test, with its own seeded generator, must land within 5 such SDs.
- sign_flip: scipy.stats.permutation_test((d,), mean, permutation_type='samples', n_resamples=inf). With
  one sample and permutation_type='samples' scipy flips the sign of each observation independently and,
  with n_resamples=inf, enumerates all 2^m sign patterns: exactly the null distribution of the TS exact
  sign-flip test. Zero differences are passed to scipy too (they only duplicate patterns, so p is unchanged)
  except where noted; the TS test drops them.
- clustered: statsmodels OLS of the values on a constant, fit(cov_type='cluster', groups, use_t=True) with
  the defaults use_correction=True and df_correction=True: the variance is multiplied by
  C/(C-1) * (N-1)/(N-K) with K = 1 regressor, i.e. exactly C/(C-1) (CR1), and the interval uses t with
  C - 1 degrees of freedom.
"""
import json
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.stats import bootstrap, permutation_test

rng = np.random.default_rng(20261124)


def percentile_interval(stats, confidence):
    alpha = 1 - confidence
    lo, hi = np.percentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


# ---------------------------------------------------------------- bootstrap on committed indices
EXACT = [
    ("continuous n=12", [0.12, 0.95, 0.33, 0.5, 0.71, 0.08, 0.64, 0.27, 0.99, 0.45, 0.58, 0.2], "mean", 0.95, 200),
    ("0/1 scores n=15", [1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1], "mean", 0.95, 200),
    ("paired diffs with ties n=10", [1, 0, 0, -1, 1, 1, 0, 2, -1, 1], "mean", 0.9, 300),
    ("median n=9", [3, 1, 4, 1, 5, 9, 2, 6, 5], "median", 0.95, 300),
    ("all equal n=6", [0.7] * 6, "mean", 0.95, 50),
    ("n=1", [0.42], "mean", 0.95, 20),
    ("judge 1-5 n=8", [5, 4, 4, 3, 5, 2, 4, 5], "mean", 0.8, 250),
]

bootstrap_exact = []
for name, xs, statistic, confidence, b in EXACT:
    x = np.asarray(xs, dtype=float)
    n = len(x)
    indices = rng.integers(0, n, size=(b, n))
    f = np.mean if statistic == "mean" else np.median
    stats = np.array([f(x[idx]) for idx in indices])
    lo, hi = percentile_interval(stats, confidence)
    bootstrap_exact.append({
        "name": name,
        "xs": xs,
        "statistic": statistic,
        "confidence": confidence,
        "indices": indices.tolist(),
        "estimate": float(f(x)),
        "lower": lo,
        "upper": hi,
    })

# ---------------------------------------------------------------- bootstrap, Monte Carlo against scipy
MC = [
    ("skewed scores n=30", [round(v, 3) for v in np.random.default_rng(7).gamma(2.0, 0.15, 30).clip(0, 1).tolist()], 0.95),
    ("worked example paired 0/1 diffs n=60 (b=4, c=10)", [-1] * 4 + [1] * 10 + [0] * 46, 0.95),
    ("0/1 scores n=25", [1] * 19 + [0] * 6, 0.9),
]
bootstrap_monte_carlo = []
for name, xs, confidence in MC:
    x = np.asarray(xs, dtype=float)
    los, his = [], []
    for seed in range(20):
        res = bootstrap((x,), np.mean, confidence_level=confidence, n_resamples=10000, method="percentile",
                        random_state=np.random.default_rng(1000 + seed), vectorized=True)
        los.append(res.confidence_interval.low)
        his.append(res.confidence_interval.high)
    bootstrap_monte_carlo.append({
        "name": name,
        "xs": xs,
        "confidence": confidence,
        "resamples": 10000,
        "lower": float(np.mean(los)),
        "upper": float(np.mean(his)),
        "lowerSd": float(np.std(los, ddof=1)),
        "upperSd": float(np.std(his, ddof=1)),
    })

# ---------------------------------------------------------------- sign-flip permutation test
SIGN = [
    ("worked example 0/1 diffs b=4 c=10 (= exact McNemar 0.1796)", [-1] * 4 + [1] * 10),
    ("continuous m=12", [round(v, 4) for v in np.random.default_rng(11).normal(0.15, 0.4, 12).tolist()]),
    ("judge deltas with ties and zeros", [1, 2, -1, 0, 1, 1, 0, -2, 1, 3, 0, 1]),
    ("all equal positive m=5 (p = 2/32)", [0.5] * 5),
    ("single non-zero", [0, 0.3, 0]),
    ("symmetric, statistic zero", [1, -1, 0.5, -0.5]),
    ("one negative and a zero (m = 1 after dropping zeros)", [-2, 0]),
    ("strong effect m=16", [round(v, 4) for v in np.random.default_rng(5).normal(0.6, 0.5, 16).tolist()]),
    ("continuous m=20 (largest exact)", [round(v, 4) for v in np.random.default_rng(3).normal(0.1, 1.0, 20).tolist()]),
]
sign_flip = []
for name, d in SIGN:
    x = np.asarray(d, dtype=float)
    # Zeros would double the enumeration without changing p; drop them for the 2^20 case only.
    if len(x) > 16:
        x = x[x != 0]
    res = permutation_test((x,), lambda v, axis: np.mean(v, axis=axis), permutation_type="samples",
                           n_resamples=np.inf, vectorized=True, alternative="two-sided", batch=65536)
    sign_flip.append({"name": name, "diffs": d, "p": float(res.pvalue), "patterns": int(len(res.null_distribution))})

# ---------------------------------------------------------------- cluster-robust mean (CR1, t(C-1))
crng = np.random.default_rng(99)
CLUSTERED = [
    ("0/1 in 4 unequal clusters", [1, 0, 1, 1, 0, 1, 1, 1, 0, 0], ["a", "a", "a", "b", "b", "b", "c", "c", "d", "d"], 0.95),
    ("correlated 0/1, 8 clusters of 5",
     [int(v) for v in (crng.random(40) < np.repeat(crng.random(8), 5)).tolist()],
     [f"doc-{i // 5}" for i in range(40)], 0.95),
    ("continuous, 6 clusters of sizes 1..8",
     [round(v, 3) for v in crng.normal(0.6, 0.2, 27).tolist()],
     [f"g{c}" for c, size in enumerate([1, 2, 3, 5, 8, 8]) for _ in range(size)], 0.95),
    ("one case per cluster (= t interval)", [0.2, 0.9, 0.4, 0.7, 0.5, 0.8], ["1", "2", "3", "4", "5", "6"], 0.95),
    ("two clusters", [1, 1, 0, 1, 0, 0], ["x", "x", "x", "y", "y", "y"], 0.95),
    ("90% interval, interleaved labels", [0.1, 0.9, 0.3, 0.8, 0.2, 0.7, 0.4, 0.6, 0.35],
     ["p", "q", "r", "p", "q", "r", "p", "q", "r"], 0.9),
    ("constant within clusters", [1, 1, 1, 0, 0, 0, 1, 1, 0, 0], ["a", "a", "a", "b", "b", "b", "c", "c", "d", "d"], 0.95),
]
clustered = []
for name, values, labels, confidence in CLUSTERED:
    y = np.asarray(values, dtype=float)
    _, groups = np.unique(labels, return_inverse=True)
    fit = sm.OLS(y, np.ones((len(y), 1))).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    assert fit.cov_kwds["use_correction"] is True and fit.cov_kwds["adjust_df"] is True
    lo, hi = fit.conf_int(alpha=1 - confidence)[0]
    c = len(set(labels))
    se_iid = float(np.std(y, ddof=1) / np.sqrt(len(y)))
    clustered.append({
        "name": name,
        "values": values,
        "clusters": labels,
        "confidence": confidence,
        "estimate": float(fit.params[0]),
        "se": float(fit.bse[0]),
        "lower": float(lo),
        "upper": float(hi),
        "df": int(fit.df_resid_inference),
        "clusterCount": c,
        "designEffect": float(fit.bse[0] ** 2 / se_iid ** 2),
    })
    assert fit.df_resid_inference == c - 1

out = {
    "generator": "test/golden/make-resampling-golden.py",
    "source": (
        f"numpy {np.__version__} percentile (linear); scipy {scipy.__version__} stats.bootstrap(method='percentile') "
        f"and stats.permutation_test(permutation_type='samples', n_resamples=inf); statsmodels {statsmodels.__version__} "
        "OLS on a constant with cov_type='cluster' (use_correction=True, df_correction=True, use_t=True)"
    ),
    "bootstrap_exact": bootstrap_exact,
    "bootstrap_monte_carlo": bootstrap_monte_carlo,
    "sign_flip": sign_flip,
    "clustered": clustered,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resampling.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {path}: {len(bootstrap_exact)} exact bootstraps, {len(bootstrap_monte_carlo)} Monte-Carlo bootstraps, "
      f"{len(sign_flip)} sign-flip tests, {len(clustered)} clustered intervals")
