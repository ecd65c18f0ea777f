import type { Statistic } from './statistic';

/** max_t (peak_t − E_t) / peak_t as a fraction in [0, 1], the peak including E₀. */
export const maxDrawdown: Statistic<number> = (s) => s.drawdown.maxDrawdown;
