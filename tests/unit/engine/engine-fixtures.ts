import {
  createStrategyInstance,
  EngineBarLoop,
  EngineRecordCollector,
  type EngineRecordSink,
  type StrategyInstance,
} from '../../../src/core/engine';
import { compileStrategy, type CompiledStrategy } from '../../../src/core/strategy';

export { btcUsdtMinutes } from '../../support/real-candles';

/** A strategy on 1m bars with the given rules and indicators, compiled with its defaults. */
export function strategyOf(options: {
  rules: Record<string, string>;
  indicators?: unknown[];
  risk?: Record<string, unknown>;
  timeframe?: string;
}): CompiledStrategy {
  const result = compileStrategy({
    meta: { name: 'test', timeframe: options.timeframe ?? '1m', version: 1 },
    indicators: options.indicators ?? [],
    rules: options.rules,
    ...(options.risk ? { risk: options.risk } : {}),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.strategy;
}

/** One instance ('v1') of `strategy` in a fresh 1m bar loop, its records collected. */
export interface InstanceRun {
  loop: EngineBarLoop;
  instance: StrategyInstance;
  records: EngineRecordCollector;
}

export function freshInstance(strategy: CompiledStrategy): InstanceRun {
  const loop = new EngineBarLoop({ baseTimeframe: '1m' });
  const records = new EngineRecordCollector();
  const instance = createStrategyInstance({
    id: 'v1',
    strategy,
    indicators: loop.indicators,
    sink: records,
  });
  loop.add(instance);
  return { loop, instance, records };
}

/**
 * One EMA(9)/EMA(21) crossover variant ('variant-a', long and short) in a fresh 1-minute bar
 * loop, its records going to both `collector` and `writer`: what the store is checked against.
 */
export function crossoverVariantRecordedTwice(
  collector: EngineRecordCollector,
  writer: EngineRecordSink,
): { loop: EngineBarLoop; instance: StrategyInstance } {
  const both: EngineRecordSink = {
    onOrder: (r) => (collector.onOrder(r), writer.onOrder?.(r)),
    onTrade: (r) => (collector.onTrade(r), writer.onTrade?.(r)),
    onSignal: (r) => (collector.onSignal(r), writer.onSignal?.(r)),
  };
  const loop = new EngineBarLoop({ baseTimeframe: '1m' });
  const instance = createStrategyInstance({
    id: 'variant-a',
    strategy: strategyOf({
      indicators: [
        { id: 'fast', type: 'ema', params: { period: 9 } },
        { id: 'slow', type: 'ema', params: { period: 21 } },
      ],
      rules: {
        entryLong: 'crossover(fast, slow)',
        entryShort: 'crossunder(fast, slow)',
        exitLong: 'crossunder(fast, slow)',
        exitShort: 'crossover(fast, slow)',
      },
    }),
    indicators: loop.indicators,
    sink: both,
  });
  loop.add(instance);
  return { loop, instance };
}
