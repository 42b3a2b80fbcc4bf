/**
 * `assay/stats`: the statistics behind every number Assay prints, as plain functions (pure, no I/O,
 * checked against scipy/statsmodels golden values). See docs/statistics.md.
 *
 *   import { wilsonInterval, mcnemarExact } from 'assay/stats';
 */
export { bootstrapInterval, pairedBootstrapInterval } from './core/stats/bootstrap.ts';
export { clopperPearson } from './core/stats/clopper-pearson.ts';
export { clusteredMeanInterval } from './core/stats/clustered.ts';
export { cohenKappa, contingencyTable, kappaBootstrapInterval } from './core/stats/cohen-kappa.ts';
export { krippendorffAlpha } from './core/stats/krippendorff-alpha.ts';
export { mcnemarExact, mcnemarMidP } from './core/stats/mcnemar.ts';
export { benjaminiHochberg, holm } from './core/stats/multiple-comparisons.ts';
export { newcombePairedDifference } from './core/stats/newcombe.ts';
export { normalQuantile } from './core/stats/normal-quantile.ts';
export { passAtK, passHatK } from './core/stats/pass-at-k.ts';
export { signFlipTest } from './core/stats/permutation.ts';
export {
  designEffect,
  mdeMean,
  mdeProportion,
  sampleSizeMean,
  sampleSizeProportion,
} from './core/stats/power.ts';
export { createRandom } from './core/stats/random.ts';
export { averageRanks, kendallTauB, spearmanRho } from './core/stats/rank-correlation.ts';
export { repeatStats } from './core/stats/repeat-stats.ts';
export { roganGladen } from './core/stats/rogan-gladen.ts';
export { signTest } from './core/stats/sign-test.ts';
export { studentTCdf, studentTQuantile, tInterval } from './core/stats/student-t.ts';
export { weightedKappa } from './core/stats/weighted-kappa.ts';
export { wilsonFromProportion, wilsonInterval } from './core/stats/wilson.ts';
