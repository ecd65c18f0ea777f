import { normalQuantile } from './normal-distribution';
import { sharpeSample, type SharpeSample } from './sharpe-ratio';
import type { Statistic } from './statistic';

/**
 * MinTRL = 1 + (1 − γ₃·SR + (γ₄ − 1)/4·SR²)·(Φ⁻¹(confidence) / (SR − SR*))², in periods (bars): how
 * many returns are needed before SR > SR* holds with that confidence (Bailey & López de Prado 2012).
 * Undefined (null) when SR ≤ SR*: no track record is long enough.
 */
export function minTrackRecordLength(
  sample: SharpeSample,
  benchmarkSharpe: number,
  confidence = 0.95,
): number | null {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const { sharpe, skewness, kurtosis } = sample;
  if (!(sharpe > benchmarkSharpe)) return null;
  const v = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  const z = normalQuantile(confidence) / (sharpe - benchmarkSharpe);
  return 1 + v * z * z;
}

/** MinTRL of the tracked returns against the tracker's SR*, at 95% confidence. */
export const minTrl: Statistic<number | null> = (s) => {
  const sample = sharpeSample(s);
  return sample === null ? null : minTrackRecordLength(sample, s.benchmarkSharpe);
};
