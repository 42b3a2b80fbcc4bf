// Lanczos approximation (g = 7, 9 terms): relative accuracy about 1e-15 for positive arguments.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const TINY = 1e-300;
const EPSILON = 1e-16;
const MAX_ITERATIONS = 100_000;

/** ln Γ(x) for x > 0 (Lanczos, reflection below 0.5). NaN for x ≤ 0 or NaN. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Stirling remainder ln Γ(x) − ((x − ½) ln x − x + ½ ln 2π) for x ≥ 10, by its asymptotic series
 * (accurate to about 1e-16 there).
 */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  return (
    (1 / 12 -
      x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 * (1 / 1188 - x2 * (691 / 360360 - x2 / 156)))))) /
    x
  );
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). For large arguments the three ln Γ terms are huge and
 * nearly cancel, so (as in R's lbeta) the leading Stirling terms are combined analytically and only the
 * small remainders are added.
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) return Number.NaN;
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return (
      -0.5 * Math.log(q) +
      HALF_LOG_TWO_PI +
      corr +
      (p - 0.5) * Math.log(p / (p + q)) +
      q * Math.log1p(-p / (p + q))
    );
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * Continued fraction for I_x(a, b) (Numerical Recipes `betacf`), evaluated with the modified Lentz
 * method. Converges fast when x < (a + 1)/(a + b + 2).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  return h;
}

/**
 * I_x(a, b) with the complement y = 1 − x passed separately, so callers that know y more precisely than
 * 1 − x (e.g. the Student-t CDF near t = 0) do not lose digits.
 */
export function regularizedIncompleteBetaWithComplement(x: number, y: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
}

/**
 * The regularized incomplete beta function I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b): a continued fraction
 * (modified Lentz) with the ln Γ prefactor, using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) on the side
 * where the fraction converges. x is clamped to [0, 1]; a, b must be positive (NaN otherwise).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  return regularizedIncompleteBetaWithComplement(x, 1 - x, a, b);
}

/** Initial guess for the beta quantile (Numerical Recipes, 3rd ed., `invbetai`). */
function initialGuess(p: number, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const pp = p < 0.5 ? p : 1 - p;
    const t = Math.sqrt(-2 * Math.log(pp));
    let x = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
    if (p < 0.5) x = -x;
    const al = (x * x - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (x * Math.sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
    return a / (a + b * Math.exp(2 * w));
  }
  const lna = Math.log(a / (a + b));
  const lnb = Math.log(b / (a + b));
  const t = Math.exp(a * lna) / a;
  const u = Math.exp(b * lnb) / b;
  const w = t + u;
  if (p < t / w) return (a * w * p) ** (1 / a);
  return 1 - (b * w * (1 - p)) ** (1 / b);
}

/**
 * The beta quantile: the x in [0, 1] with I_x(a, b) = p. Newton's method safeguarded by a shrinking
 * bracket (bisection whenever a Newton step leaves it), iterated to a relative step below 1e-15 — far
 * inside the 1e-12 the statistics need. p ≤ 0 → 0, p ≥ 1 → 1, a or b not positive → NaN.
 */
export function inverseRegularizedIncompleteBeta(p: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || Number.isNaN(p)) return Number.NaN;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lbeta = logBeta(a, b);
  let lo = 0;
  let hi = 1;
  let x = initialGuess(p, a, b);
  if (!(x > 0 && x < 1)) x = 0.5;
  for (let i = 0; i < 2000; i++) {
    const f = regularizedIncompleteBeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lbeta);
    let next = x - f / density;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) {
      // Bisect; geometrically when the bracket spans orders of magnitude near 0 or 1.
      if (lo === 0 && hi < 0.5) next = hi / 16;
      else if (hi === 1 && lo > 0.5) next = 1 - (1 - lo) / 16;
      else next = (lo + hi) / 2;
    }
    if (Math.abs(next - x) <= 1e-15 * Math.min(next, 1 - next) || hi - lo <= 1e-16 * Math.min(x, 1 - x)) {
      return next;
    }
    x = next;
  }
  return x;
}
