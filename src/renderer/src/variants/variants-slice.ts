import type { StateCreator } from 'zustand';
import type { StrategyTemplateSummary } from '../../../shared/backtest';
import type {
  CircuitBreakerState,
  PositionRow,
  StrategySummary,
  VariantRow,
} from '../../../shared/variants';
import type { AppState } from '../store/app-store';

/** What the leaderboard can be sorted by: every column. */
export type SortKey =
  | 'variant'
  | 'mode'
  | 'status'
  | 'roi'
  | 'sharpe'
  | 'dsr'
  | 'maxDrawdown'
  | 'winRate'
  | 'profitFactor'
  | 'trades'
  | 'candidate';

export type SortDirection = 'asc' | 'desc';

export interface LeaderboardSort {
  key: SortKey;
  direction: SortDirection;
}

export interface VariantsSlice {
  strategies: StrategySummary[];
  strategiesError: string | null;
  /** Every variant (main included) by id; metric events patch it once per animation frame. */
  variants: Record<string, VariantRow>;
  variantsLoaded: boolean;
  variantsError: string | null;
  sort: LeaderboardSort;
  /** Only this strategy's rows in the leaderboard; null shows all. */
  strategyFilter: string | null;
  /** The last failed row action per variant, in words (shown in that row). */
  rowErrors: Record<string, string>;
  /** Per strategy card: the last failed start/pause/stop. */
  strategyErrors: Record<string, string>;
  templates: StrategyTemplateSummary[];
  templatesError: string | null;
}

export interface PositionsSlice {
  positions: PositionRow[];
  positionsLoaded: boolean;
  positionsError: string | null;
}

export interface SafetySlice {
  circuitBreaker: CircuitBreakerState | null;
  circuitBreakerError: string | null;
}

export const createVariantsSlice: StateCreator<AppState, [], [], VariantsSlice> = () => ({
  strategies: [],
  strategiesError: null,
  variants: {},
  variantsLoaded: false,
  variantsError: null,
  sort: { key: 'roi', direction: 'desc' },
  strategyFilter: null,
  rowErrors: {},
  strategyErrors: {},
  templates: [],
  templatesError: null,
});

export const createPositionsSlice: StateCreator<AppState, [], [], PositionsSlice> = () => ({
  positions: [],
  positionsLoaded: false,
  positionsError: null,
});

export const createSafetySlice: StateCreator<AppState, [], [], SafetySlice> = () => ({
  circuitBreaker: null,
  circuitBreakerError: null,
});
