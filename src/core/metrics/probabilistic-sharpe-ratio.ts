import { normalCdf } from './normal-distribution';
import { sharpeSample, type SharpeSample } from './sharpe-ratio';
import type { Statistic } from './statistic';

/**
 * √(1 − γ₃·SR + (γ₄ − 1)/4·SR²), the (T − 1)-scaled standard error of the Sharpe estimate under
 * non-normal returns. Since γ₄ ≥ 1 + γ₃², the radicand is ≥ (1 − γ₃·SR/2)² ≥ 0; null if it is 0.
 */
export function sharpeStandardErrorFactor(sample: SharpeSample): number | null {
  const { sharpe, skewness, kurtosis } = sample;
  const v = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  return v > 0 ? Math.sqrt(v) : null;
}

/**
 * PSR(SR*) = Φ[(SR − SR*)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²)] (Bailey & López de Prado 2012):
 * the probability that the true Sharpe ratio exceeds SR*, all quantities per period.
 * Null below two observations or when the standard error is 0.
 */
export function probabilisticSharpeRatio(
  sample: SharpeSample,
  benchmarkSharpe: number,
): number | null {
  const factor = sharpeStandardErrorFactor(sample);
  if (factor === null || sample.observations < 2) return null;
  return normalCdf(
    ((sample.sharpe - benchmarkSharpe) * Math.sqrt(sample.observations - 1)) / factor,
  );
}

/** PSR of the tracked returns against the tracker's SR* (per period, 0 by default). */
export const psr: Statistic<number | null> = (s) => {
  const sample = sharpeSample(s);
  return sample === null ? null : probabilisticSharpeRatio(sample, s.benchmarkSharpe);
};
