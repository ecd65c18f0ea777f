import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileStrategy,
  formatStrategyIssue,
  parseStrategyConfigJson,
  type CompiledStrategy,
} from '../../../src/core/strategy';
import { PROJECT_ROOT } from '../../support/shared-data';
import { aggregateCandles, BTCUSDT_1M, loadCandles } from './support/real-candles';
import { runStrategy } from './support/run-strategy';

const TEMPLATE_DIR = resolve(PROJECT_ROOT, 'resources/strategies');
const templateFiles = readdirSync(TEMPLATE_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

function compileTemplate(
  file: string,
  values: Record<string, number | string> = {},
): CompiledStrategy {
  const text = readFileSync(resolve(TEMPLATE_DIR, file), 'utf8');
  const validation = parseStrategyConfigJson(text);
  if (!validation.ok) throw new Error(validation.issues.map(formatStrategyIssue).join('\n'));
  const result = compileStrategy(validation.config, values);
  if (!result.ok) throw new Error(result.issues.map(formatStrategyIssue).join('\n'));
  return result.strategy;
}

function barsFor(strategy: CompiledStrategy) {
  const minutes = loadCandles(BTCUSDT_1M);
  return strategy.timeframe === '1m' ? minutes : aggregateCandles(minutes, strategy.timeframe);
}

describe('strategy templates', () => {
  it('ships the six reference templates', () => {
    expect(templateFiles).toEqual([
      'bollinger-breakout.json',
      'e3-body-volume-breakout.json',
      'ema-crossover-trend.json',
      'macd-rsi-confirmation.json',
      'rsi-mean-reversion.json',
      'weighted-signal-score.json',
    ]);
  });

  describe.each(templateFiles)('%s on real BTC/USDT candles', (file) => {
    it('is valid, and its entries and exits fire on closed bars after warm-up', () => {
      const strategy = compileTemplate(file);
      const bars = barsFor(strategy);
      const run = runStrategy(strategy, bars);
      console.log(
        `${file}: ${run.bars} ${strategy.timeframe} bars → ${JSON.stringify(run.counts)}`,
      );
      expect(run.counts.entryLong + run.counts.entryShort).toBeGreaterThanOrEqual(5);
      expect(run.counts.entryLong).toBeGreaterThan(0);
      expect(run.counts.entryShort).toBeGreaterThan(0);
      expect(run.counts.exitLong).toBeGreaterThan(0);
      expect(run.counts.exitShort).toBeGreaterThan(0);
      // Nothing fires while the indicators warm up.
      const warmup = strategy.warmupBars(() => 1);
      expect(run.firstSignalBar).toBeGreaterThanOrEqual(warmup - 1);
      // The "why it fired" record carries finite values for every term.
      for (const terms of Object.values(run.firstExplanations)) {
        expect(terms.length).toBeGreaterThan(0);
        for (const term of terms) expect(Number.isFinite(term.value), term.text).toBe(true);
      }
    });
  });
});
