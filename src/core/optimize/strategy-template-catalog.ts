import bollingerBreakout from '../../../resources/strategies/bollinger-breakout.json' with { type: 'json' };
import e3BodyVolumeBreakout from '../../../resources/strategies/e3-body-volume-breakout.json' with { type: 'json' };
import emaCrossoverTrend from '../../../resources/strategies/ema-crossover-trend.json' with { type: 'json' };
import macdRsiConfirmation from '../../../resources/strategies/macd-rsi-confirmation.json' with { type: 'json' };
import rsiMeanReversion from '../../../resources/strategies/rsi-mean-reversion.json' with { type: 'json' };
import weightedSignalScore from '../../../resources/strategies/weighted-signal-score.json' with { type: 'json' };
import { validateStrategyConfig, type StrategyConfig } from '../strategy';

/** A shipped strategy template, validated, under its file name. */
export interface StrategyTemplate {
  /** The file name without `.json`, e.g. `ema-crossover-trend`. */
  readonly id: string;
  readonly config: StrategyConfig;
}

// Imported rather than read from disk, so both hosts (tsx and the Electron bundle) carry them
// without knowing where resources/ ended up after packaging.
const SHIPPED: ReadonlyArray<readonly [string, unknown]> = [
  ['ema-crossover-trend', emaCrossoverTrend],
  ['macd-rsi-confirmation', macdRsiConfirmation],
  ['rsi-mean-reversion', rsiMeanReversion],
  ['bollinger-breakout', bollingerBreakout],
  ['e3-body-volume-breakout', e3BodyVolumeBreakout],
  ['weighted-signal-score', weightedSignalScore],
];

/**
 * The strategy templates in resources/strategies, validated once.
 * @throws Error naming the template and its issues if a shipped template is invalid (a build bug).
 */
export function strategyTemplates(): StrategyTemplate[] {
  return SHIPPED.map(([id, json]) => {
    const result = validateStrategyConfig(json);
    if (!result.ok) {
      throw new Error(
        `template ${id} is invalid: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      );
    }
    return { id, config: result.config };
  });
}
