import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for the engine's bar step, applied by the hosts and the benchmarks. Both are
 * heuristics V8 tunes for web pages; neither changes what the code computes.
 *
 * - A larger inlining budget. A closed bar goes loop → instance → exchange, metrics, equity
 *   curve, rules: small methods V8 inlines only while the caller's inlined bytecode stays under
 *   a budget (460 bytes per callee, 920 in all by default). At the default the budget runs out
 *   part-way down the step, and the rest are calls that box every number they pass; with these
 *   limits the whole step compiles as one function.
 * - No allocation-site pretenuring. Records (signals, orders, fills, trades) are kept, so V8
 *   learns to allocate them straight into the old generation — and every change of that decision
 *   deoptimizes the code that allocates them, the bar step, which then re-optimizes and deopts
 *   again on feedback it has lost (measured over 5 s of backtests: 240 deopts with it, 37
 *   without; 5 full GCs instead of 2). Left young, kept records are copied once or twice by the
 *   scavenger instead.
 * Measured with tests/bench/profile-engine.ts (alternated runs, median): inlining +10–15 % for a
 * backtest and for variants with no indicator in common, +3 % for the shared grid; pretenuring
 * off on top +20 % backtest, +9 % no indicator in common, +7 % shared grid (both: 3.98 → 5.52 M
 * bars/s for the backtest).
 */
export const ENGINE_V8_FLAGS: readonly string[] = [
  '--max-inlined-bytecode-size=2000',
  '--max-inlined-bytecode-size-cumulative=4600',
  '--no-allocation-site-pretenuring',
];

/**
 * Applies {@link ENGINE_V8_FLAGS} to this process (worker threads share them). Call it first
 * thing in a host's entry point, before any bar is stepped: V8 reads them when it optimizes a
 * function or collects garbage, so code optimized earlier keeps the old inlining budget.
 */
export function tuneV8ForEngine(): void {
  for (const flag of ENGINE_V8_FLAGS) setFlagsFromString(flag);
}
