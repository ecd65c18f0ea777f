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
