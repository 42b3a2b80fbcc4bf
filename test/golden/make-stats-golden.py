#!/usr/bin/env python3
"""Golden values for the distributions and exact tests in src/core/stats (S1 files):
clopper-pearson.ts, student-t.ts, incomplete-beta.ts, mcnemar.ts, sign-test.ts, multiple-comparisons.ts,
newcombe.ts, pass-at-k.ts and power.ts.

Named references:
- Clopper-Pearson: scipy.stats.beta.ppf / beta.isf (the definition), cross-checked against statsmodels
  proportion_confint(method='beta').
- Student t: scipy.stats.t.ppf polished to full double precision with mpmath (see t_ppf_precise), t.cdf; t interval: mean +- t.ppf * sem with scipy.stats.sem.
- Incomplete beta: scipy.special.betainc / betaincinv.
- McNemar / sign test: scipy.stats.binomtest(k, n, 0.5).pvalue (two-sided exact), cross-checked against
  statsmodels mcnemar(exact=True); mid-p by a hand-written reference from scipy.stats.binom.
- Holm / BH: statsmodels multipletests(method='holm' / 'fdr_bh').
- Newcombe paired interval, pass@k / pass^k, MDE / sample size: the small independent reference
  implementations below (exact fractions for pass@k / pass^k), plus the published values of
  stats-judges.md section 8.7 asserted here and in the TS tests.

Requires Debian's python3-scipy, python3-statsmodels and python3-mpmath
(apt-get install -y python3-scipy python3-statsmodels python3-mpmath).
Run from the repository root: /usr/bin/python3 test/golden/make-stats-golden.py
"""
import json
import math
import os
from fractions import Fraction

import mpmath
import numpy as np
import scipy
import statsmodels
from scipy import special
from scipy.stats import beta, binom, binomtest, norm, sem, t
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

mpmath.mp.dps = 50

# --- Clopper-Pearson: (successes, n, confidence) ---------------------------------------------------------
CP = [
    (17, 20, 0.95), (0, 30, 0.95), (0, 30, 0.90), (30, 30, 0.95), (0, 1, 0.95), (1, 1, 0.95),
    (5, 5, 0.95), (42, 60, 0.95), (48, 60, 0.95), (1, 1001, 0.95), (1000, 1001, 0.95),
    (17, 20, 0.99), (3, 7, 0.8), (50, 100, 0.95), (9999, 10000, 0.999), (1, 2, 0.95),
]
clopper_pearson = []
for x, n, conf in CP:
    a = 1 - conf
    lower = 0.0 if x == 0 else float(beta.ppf(a / 2, x, n - x + 1))
    upper = 1.0 if x == n else float(beta.isf(a / 2, x + 1, n - x))
    sm_lower, sm_upper = proportion_confint(x, n, alpha=a, method="beta")
    assert abs(sm_lower - lower) < 1e-12 and abs(sm_upper - upper) < 1e-12, (x, n, conf)
    clopper_pearson.append({"successes": x, "n": n, "confidence": conf, "estimate": x / n, "lower": lower, "upper": upper})

# --- Student t quantiles and CDF ------------------------------------------------------------------------
TQ = [
    (0.975, 9), (0.975, 19), (0.975, 1), (0.995, 1), (0.6, 1), (1e-10, 1), (0.975, 2), (0.01, 2),
    (0.025, 3), (0.975, 4.5), (0.9, 30), (0.5, 5), (0.75, 100), (0.975, 1000), (0.975, 1e6), (0.999, 7),
    (1e-10, 10), (0.5000001, 12), (0.3, 0.5), (0.95, 59), (1e-15, 10000), (0.9999999, 3),
]


def t_ppf_precise(p, df):
    """scipy 1.10's t.ppf (cephes stdtrit) is only good to ~2e-9 relative in places (e.g. p = 0.9, df = 30;
    p = 0.01, df = 2 whose closed form is (2p - 1)/sqrt(2p(1 - p))), so polish scipy's answer with a
    40-digit root of the regularized incomplete beta in mpmath, and check scipy agrees to 1e-7."""
    start = float(t.ppf(p, df))
    if p == 0.5:
        return 0.0
    tail = mpmath.mpf(min(p, 1 - p))
    dfm = mpmath.mpf(df)
    f = lambda x: mpmath.betainc(dfm / 2, mpmath.mpf(1) / 2, 0, dfm / (dfm + x * x), regularized=True) / 2 - tail
    root = abs(mpmath.findroot(f, abs(mpmath.mpf(start))))
    value = float(root if p > 0.5 else -root)
    assert abs(value - start) <= 1e-7 * max(1.0, abs(value)), (p, df, value, start)
    return value


t_quantiles = [{"p": p, "df": df, "t": t_ppf_precise(p, df), "scipy": float(t.ppf(p, df))} for p, df in TQ]

TC = [
    (2.262157, 9), (-2.262157, 9), (0.0, 5), (1.0, 1), (-30.0, 1), (1e-8, 3), (0.5, 2), (-4.0, 2),
    (3.5, 4.5), (1.96, 1e6), (-1.2, 30), (10.0, 100), (0.1, 0.5), (-50.0, 20), (2.0, 59),
]
t_cdf = [{"t": x, "df": df, "p": float(t.cdf(x, df))} for x, df in TC]

T_INTERVALS = [
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95),
    ([0.2, 0.4, 0.4, 0.9], 0.95),
    ([3.0, 3.0, 3.0], 0.95),
    ([0.5, 1.5], 0.95),
    ([4, 5, 5, 3, 4, 2, 5, 4, 1, 5, 3, 4], 0.9),
    ([0.91, 0.13, 0.56, 0.77, 0.42, 0.08, 0.64, 0.35, 0.99, 0.27, 0.51, 0.6, 0.7, 0.22, 0.45], 0.99),
    ([-1, 0, 1, 0, 0, 1, 1, -1, 0, 1], 0.95),
]
t_intervals = []
for xs, conf in T_INTERVALS:
    arr = np.array(xs, dtype=float)
    m = float(arr.mean())
    sd = float(arr.std(ddof=1))
    half = float(t.ppf(1 - (1 - conf) / 2, len(xs) - 1) * sem(arr)) if sd > 0 else 0.0
    t_intervals.append({"xs": xs, "confidence": conf, "estimate": m, "sd": sd, "n": len(xs), "lower": m - half, "upper": m + half})

# --- incomplete beta -------------------------------------------------------------------------------------
IB = [
    (0.5, 1, 1), (0.2, 2, 3), (0.9, 0.5, 0.5), (1e-5, 0.5, 4), (0.999, 30, 2), (0.3, 100, 200),
    (0.5, 5000, 5000), (0.01, 1, 1000), (0.7, 0.1, 0.2), (0.45, 17, 4),
]
incomplete_beta = [{"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))} for x, a, b in IB]
IBI = [(0.025, 17, 4), (0.975, 18, 3), (1e-8, 0.5, 3), (0.5, 2, 2), (0.999, 1, 50), (0.3, 0.2, 0.3), (0.05, 500, 800)]
inverse_beta = [{"p": p, "a": a, "b": b, "x": float(special.betaincinv(a, b, p))} for p, a, b in IBI]

# --- exact McNemar and the sign test -------------------------------------------------------------------
def exact_p(k1, k2):
    n = k1 + k2
    return 1.0 if n == 0 else float(binomtest(min(k1, k2), n, 0.5).pvalue)


def mid_p(k1, k2):
    n = k1 + k2
    if n == 0:
        return 1.0
    k = min(k1, k2)
    return float(min(1.0, 2 * binom.cdf(k, n, 0.5) - binom.pmf(k, n, 0.5)))


MCNEMAR = [(8, 2), (10, 1), (6, 0), (5, 0), (4, 10), (0, 0), (0, 1), (1, 0), (5, 5), (3, 4), (100, 70), (600, 500), (0, 40), (1500, 1400)]
mcnemar_rows = []
for b, c in MCNEMAR:
    p = exact_p(b, c)
    if b + c > 0:
        sm = mcnemar([[0, b], [c, 0]], exact=True).pvalue
        assert abs(sm - p) < 1e-12, (b, c, sm, p)
    mcnemar_rows.append({"b": b, "c": c, "p": p, "midP": mid_p(b, c)})

SIGN = [(7, 3), (12, 0), (0, 0), (1, 1), (9, 2), (0, 5), (20, 21), (1, 0), (30, 10)]
sign_rows = [{"wins": w, "losses": l, "p": exact_p(w, l)} for w, l in SIGN]

# --- multiple comparisons -------------------------------------------------------------------------------
FAMILIES = [
    [0.01, 0.04, 0.03, 0.20],
    [0.5],
    [1.0, 1.0, 1.0],
    [0.02, 0.02, 0.02, 0.5],
    [0.0, 0.05, 0.001],
    [0.9, 0.001, 0.04, 0.04, 0.3, 0.012, 0.6, 0.0004, 0.07, 0.2],
    [0.3, 0.6],
    [0.049, 0.051, 0.0001, 0.99, 0.25],
]
multiple = []
for ps in FAMILIES:
    multiple.append({
        "ps": ps,
        "holm": [float(v) for v in multipletests(ps, method="holm")[1]],
        "bh": [float(v) for v in multipletests(ps, method="fdr_bh")[1]],
    })

# --- Newcombe method 10: independent hand-written reference ---------------------------------------------
def wilson(x, n, conf):
    lo, hi = proportion_confint(x, n, alpha=1 - conf, method="wilson")
    return float(lo), float(hi)


def newcombe(a, b, c, d, conf):
    n = a + b + c + d
    p1, p2 = (a + c) / n, (a + b) / n
    l1, u1 = wilson(a + c, n, conf)
    l2, u2 = wilson(a + b, n, conf)
    D = p1 - p2
    ad_bc = a * d - b * c
    if ad_bc > n / 2:
        C = ad_bc - n / 2
    elif ad_bc < 0:
        C = ad_bc
    else:
        C = 0.0
    den = (a + b) * (c + d) * (a + c) * (b + d)
    phi = 0.0 if den == 0 else C / math.sqrt(den)
    lower = D - math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    upper = D + math.sqrt(max(0.0, (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
    return D, max(-1.0, lower), min(1.0, upper)


NEWCOMBE = [
    (38, 4, 10, 8, 0.95), (0, 0, 0, 10, 0.95), (10, 0, 0, 0, 0.95), (1, 0, 0, 0, 0.95), (0, 0, 1, 0, 0.95),
    (20, 0, 5, 5, 0.95), (0, 5, 0, 5, 0.95), (12, 3, 3, 12, 0.95), (3, 8, 2, 1, 0.95), (0, 10, 10, 0, 0.95),
    (40, 6, 2, 52, 0.9), (38, 4, 10, 8, 0.99),
]
newcombe_rows = []
for a, b, c, d, conf in NEWCOMBE:
    est, lo, hi = newcombe(a, b, c, d, conf)
    newcombe_rows.append({"a": a, "b": b, "c": c, "d": d, "confidence": conf, "estimate": est, "lower": lo, "upper": hi})
# Published value (stats-judges.md 8.7): (38, 4, 10, 8) -> [-0.0251, 0.2228].
assert abs(newcombe_rows[0]["lower"] - -0.0251) < 5e-5 and abs(newcombe_rows[0]["upper"] - 0.2228) < 5e-5

# --- pass@k / pass^k: exact rational reference ------------------------------------------------------------
def pass_at_k(n, c, k):
    return float(1 - Fraction(math.comb(n - c, k), math.comb(n, k)))


def pass_hat_k(n, c, k):
    return float(Fraction(math.comb(c, k), math.comb(n, k)))


PASS = [(10, 7, k) for k in range(1, 11)] + [
    (1, 1, 1), (1, 0, 1), (5, 0, 1), (5, 5, 5), (5, 0, 5), (200, 3, 50), (100, 50, 10), (1000, 999, 500), (300, 150, 150),
]
pass_rows = [{"n": n, "c": c, "k": k, "passAtK": pass_at_k(n, c, k), "passHatK": pass_hat_k(n, c, k)} for n, c, k in PASS]
published = {(10, 7, 2): (0.9333, 0.4667), (10, 7, 4): (1.0, 0.1667)}
for row in pass_rows:
    key = (row["n"], row["c"], row["k"])
    if key in published:
        assert abs(row["passAtK"] - published[key][0]) < 5e-5 and abs(row["passHatK"] - published[key][1]) < 5e-5

# --- power: independent closed-form reference -----------------------------------------------------------
def mult(alpha, power):
    return float(norm.ppf(1 - alpha / 2) + norm.ppf(power))


def prop_var(p, disc=None, rho=None, paired=False):
    if not paired:
        return 2 * p * (1 - p)
    if disc is not None:
        return disc
    return 2 * p * (1 - p) * (1 - (0.5 if rho is None else rho))


def ceil_n(x):
    return max(1, math.ceil(x - 1e-9))


mde_prop = []
for n, p, alpha, power, paired, disc, rho, de in [
    (30, 0.7, 0.05, 0.8, True, None, 0.5, 1), (50, 0.7, 0.05, 0.8, False, None, None, 1),
    (100, 0.7, 0.05, 0.8, True, None, 0.7, 1), (60, 0.7, 0.05, 0.8, True, 14 / 60, None, 1),
    (1000, 0.5, 0.05, 0.8, False, None, None, 1), (200, 0.9, 0.01, 0.9, False, None, None, 1),
    (100, 0.7, 0.05, 0.8, False, None, None, 2.8), (1, 0.5, 0.05, 0.8, False, None, None, 1),
    (500, 0.7, 0.1, 0.8, True, 0.1, None, 1),
]:
    v = prop_var(p, disc, rho, paired)
    mde_prop.append({
        "n": n, "baseline": p, "alpha": alpha, "power": power,
        "paired": ({"discordance": disc} if disc is not None else {"correlation": rho}) if paired else None,
        "designEffect": de, "mde": mult(alpha, power) * math.sqrt(v * de / n),
    })

n_prop = []
for p, delta, alpha, power, paired, disc, rho, de in [
    (0.7, 0.10, 0.05, 0.8, False, None, None, 1), (0.7, 0.10, 0.05, 0.8, True, None, 0.5, 1),
    (0.7, 0.05, 0.05, 0.8, False, None, None, 1), (0.7, 0.05, 0.05, 0.8, True, None, 0.5, 1),
    (0.7, 0.03, 0.05, 0.8, False, None, None, 1), (0.7, 0.03, 0.05, 0.8, True, None, 0.5, 1),
    (0.7, 0.02, 0.05, 0.8, False, None, None, 1), (0.7, 0.02, 0.05, 0.8, True, None, 0.5, 1),
    (0.5, 0.1, 0.05, 0.9, True, 0.2, None, 1), (0.8, 0.05, 0.01, 0.8, False, None, None, 1.9),
    (0.7, 0.5, 0.05, 0.8, True, 0.01, None, 1),
]:
    v = prop_var(p, disc, rho, paired)
    n_prop.append({
        "baseline": p, "delta": delta, "alpha": alpha, "power": power,
        "paired": ({"discordance": disc} if disc is not None else {"correlation": rho}) if paired else None,
        "designEffect": de, "n": ceil_n(mult(alpha, power) ** 2 * v * de / delta ** 2),
    })
# Published (stats-judges.md 4.8): 330/165, 1319/660, 3663/1832, 8242/4121 at p = 0.7.
assert [r["n"] for r in n_prop[:8]] == [330, 165, 1319, 660, 3663, 1832, 8242, 4121], [r["n"] for r in n_prop[:8]]

mde_mean = []
for n, sd, alpha, power, paired, de in [
    (60, math.sqrt(13.4 / 59), 0.05, 0.8, True, 1), (50, 1.0, 0.05, 0.8, False, 1), (20, 0.3, 0.05, 0.9, True, 1),
    (200, 2.5, 0.01, 0.8, False, 1.5), (1, 1.0, 0.05, 0.8, True, 1), (100, 0.0, 0.05, 0.8, True, 1),
]:
    v = (1 if paired else 2) * sd ** 2
    mde_mean.append({"n": n, "sd": sd, "alpha": alpha, "power": power, "paired": paired, "designEffect": de,
                     "mde": mult(alpha, power) * math.sqrt(v * de / n)})

n_mean = []
for sd, delta, alpha, power, paired, de in [
    (1.0, 0.5, 0.05, 0.8, False, 1), (1.0, 0.5, 0.05, 0.8, True, 1), (0.25, 0.05, 0.05, 0.8, True, 1),
    (2.0, 0.1, 0.01, 0.95, False, 1), (0.1, 1.0, 0.05, 0.8, True, 1), (1.2, 0.3, 0.05, 0.8, False, 2.8),
]:
    v = (1 if paired else 2) * sd ** 2
    n_mean.append({"sd": sd, "delta": delta, "alpha": alpha, "power": power, "paired": paired, "designEffect": de,
                   "n": ceil_n(mult(alpha, power) ** 2 * v * de / delta ** 2)})

design_effects = [{"clusterSize": m, "icc": icc, "designEffect": 1 + (m - 1) * icc}
                  for m, icc in [(10, 0.2), (1, 0.9), (5, 0), (2.5, 0.1), (30, 1)]]

out = {
    "generator": "test/golden/make-stats-golden.py",
    "source": (
        f"scipy {scipy.__version__} (beta.ppf/isf, t.ppf polished with mpmath {mpmath.__version__}, t.cdf, betainc/betaincinv, binomtest, norm.ppf); "
        f"statsmodels {statsmodels.__version__} (proportion_confint beta/wilson, mcnemar exact, multipletests); "
        "hand-written references in this script for Newcombe, pass@k/pass^k and power"
    ),
    "clopperPearson": clopper_pearson,
    "tQuantiles": t_quantiles,
    "tCdf": t_cdf,
    "tIntervals": t_intervals,
    "incompleteBeta": incomplete_beta,
    "inverseBeta": inverse_beta,
    "mcnemar": mcnemar_rows,
    "signTest": sign_rows,
    "multipleComparisons": multiple,
    "newcombe": newcombe_rows,
    "passAtK": pass_rows,
    "mdeProportion": mde_prop,
    "sampleSizeProportion": n_prop,
    "mdeMean": mde_mean,
    "sampleSizeMean": n_mean,
    "designEffect": design_effects,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stats.json")
with open(path, "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(f"wrote {path}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items() if isinstance(v, list)))
