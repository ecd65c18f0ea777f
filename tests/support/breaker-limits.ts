import type { CircuitBreakerLimits } from '../../src/shared/variants';

/**
 * The circuit breaker's limits at their widest: every check still runs, none halts trading.
 * For tests of something else whose variants lose often (the breaker has its own tests).
 */
export const WIDEST_BREAKER_LIMITS: CircuitBreakerLimits = {
  maxDrawdownPct: 100,
  maxDailyLossPct: 100,
  maxConsecutiveLosses: 100_000,
  maxOrdersPerMinute: 1_000_000,
};
