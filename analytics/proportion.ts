/** Proportions and their 95% intervals. Values are shares 0..1 here; presenters turn them into %. */
import { normalUpperTail } from './normal.ts';

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval. Unlike the textbook p ± z·√(p(1−p)/n) it stays inside [0, 1] and does
 * not collapse to zero width at 0% or 100%, which matters for a desk with 12 responses. n may be
 * fractional (an effective sample size). Null when n is 0.
 */
export function wilson(p: number, n: number, z = Z95): Interval | null {
  if (!(n > 0)) return null;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At 0% and 100% the bound is exactly 0 or 1; floating point would leave 0.9999999999999999.
  return { low: p === 0 ? 0 : Math.max(0, centre - half), high: p === 1 ? 1 : Math.min(1, centre + half) };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error about 1e-15). */
const LANCZOS = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];
export function logGamma(x: number): number {
  const y = x - 1;
  let a = LANCZOS[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (Numerical Recipes, 2nd ed., §6.4, betacf). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b): P(Beta(a, b) ≤ x). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** The x where P(Beta(a, b) ≤ x) = level, by bisection (60 halvings: below 1e-15). */
function betaQuantile(level: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(mid, a, b) < level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The interval of a plain proportion, yes of n: the union of Wilson's interval and Clopper–Pearson's
 * (the lower of the two lower bounds, the higher of the two upper bounds).
 *
 * Wilson's alone covers less than it says next to 0% and 100% at small n (83.7% at n = 31 and a
 * true rate of 99.4%, issue 18; 29 of 31 gives an upper bound of 98.2%). Clopper–Pearson's exact
 * bounds never cover less than their level. Taking the union keeps both properties that matter:
 * coverage at least that of Clopper–Pearson (95% or more for every n and rate), and bounds that one
 * more dissatisfied answer can only lower (each interval's bounds do, so their minimum and maximum
 * do too); switching from one to the other at some count would break the second. Away from the
 * edges the two nearly agree, so the cost is a slightly wider interval where they do not.
 */
export function binomialInterval(yes: number, n: number, z = Z95, halfAlpha = z === Z95 ? 0.025 : normalUpperTail(z)): Interval | null {
  const key = `${yes}|${n}|${z}|${halfAlpha}`;
  const known = intervals.get(key);
  if (known !== undefined) return known;
  const w = wilson(yes / n, n, z);
  let interval: Interval | null = null;
  if (w) {
    const exactLow = yes === 0 ? 0 : betaQuantile(halfAlpha, yes, n - yes + 1);
    const exactHigh = yes === n ? 1 : betaQuantile(1 - halfAlpha, yes + 1, n - yes);
    interval = { low: Math.min(w.low, exactLow), high: Math.max(w.high, exactHigh) };
  }
  if (intervals.size >= INTERVALS_KEPT) intervals.clear();
  intervals.set(key, interval);
  return interval;
}

/**
 * Intervals already worked out, by counts and level: the exact bounds take 120 incomplete beta
 * functions each, and a dashboard asks for the same few thousand counts (each unit, desk and cell,
 * each at 95% and at the verdict's level) on every view. Returned objects are shared: never changed.
 */
const intervals = new Map<string, Interval | null>();
const INTERVALS_KEPT = 50_000;

export interface Proportion {
  /** successes / n, null when n is 0 */
  value: number | null;
  n: number;
  successes: number;
  ci: Interval | null;
}

export function proportion(successes: number, n: number): Proportion {
  if (n <= 0) return { value: null, n: 0, successes: 0, ci: null };
  return { value: successes / n, n, successes, ci: binomialInterval(successes, n) };
}

/**
 * A measure's value with the number of respondents behind it and its effective sample size: the
 * number of independent yes/no answers that would carry the same information. The 95% interval is
 * the Wilson interval at n_eff, and so is an interval at any other level (verdict.ts), which is why
 * n_eff travels with the value.
 */
export interface MeasureResult {
  /** Share 0..1; null when n is 0. */
  value: number | null;
  /** Respondents behind the value. */
  n: number;
  nEff: number;
  ci: Interval | null;
  /** A plain proportion's counts (the overall rate, comprehensive satisfaction): its interval at any level is binomialInterval's. */
  counts?: { yes: number; n: number };
  /**
   * How n_eff would grow with m more respondents arriving at the view's desks as now, each on its
   * desk's current questionnaire version (composite measures): n_eff(m) = (weight + m·weightPerRespondent)²
   * / (variance + m·variancePerRespondent). Absent, n_eff grows by n_eff / n a respondent.
   */
  growth?: { weight: number; weightPerRespondent: number; variance: number; variancePerRespondent: number };
}

export const NO_RESULT: MeasureResult = { value: null, n: 0, nEff: 0, ci: null };

/** A share with its Wilson 95% interval at n_eff (rounding can leave a mean a hair outside [0, 1]). */
export function measured(value: number, n: number, nEff: number): MeasureResult {
  const p = Math.min(1, Math.max(0, value));
  return { value: p, n, nEff, ci: wilson(p, nEff) };
}

/**
 * Recommended sample size for a proportion with margin of error e at 95% and worst-case p = 0.5,
 * using the simplified formula of provincial survey guidance: n = N / (1 + N·e²) (Yamane).
 */
export function recommendedSampleSize(population: number, margin = 0.05): number {
  if (population <= 0) return 0;
  return Math.ceil(population / (1 + population * margin * margin));
}
