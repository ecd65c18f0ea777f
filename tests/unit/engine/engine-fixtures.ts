import { compileStrategy, type CompiledStrategy } from '../../../src/core/strategy';
import type { Candle } from '../../../src/shared/market';
import { readSharedText } from '../../support/shared-data';

let cached: Candle[] | undefined;

/** Real Binance.US BTC/USDT 1-minute bars (2023-03-01 → 21), oldest first. */
export function btcUsdtMinutes(): Candle[] {
  cached ??= readSharedText('candles/binanceus_BTCUSDT_1m_2023-03-01_21.csv.gz')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [time, open, high, low, close, volume] = line.split(',');
      return {
        time: Date.parse(String(time).replace(' ', 'T')),
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
      };
    });
  return cached;
}

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
