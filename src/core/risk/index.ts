/**
 * Risk: each variant's own safety limits (stop at a loss or drawdown) and the global circuit
 * breaker over main and every variant. Pure measurement; the variant manager acts on them.
 */
export { CircuitBreaker, ORDER_WINDOW_MS, type CircuitBreakerCheckpoint } from './circuit-breaker';
export { LIMIT_TOLERANCE_PCT } from './percent-text';
export {
  VariantSafetyLimits,
  type SafetyBreach,
  type SafetyLimitsCheckpoint,
} from './variant-safety-limits';
