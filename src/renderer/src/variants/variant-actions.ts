import type { Api, ParamsIn, Result } from '../../../shared/api';
import { ApiError, type ApiIssue } from '../../../shared/api-errors';
import type {
  PromotionAuditRow,
  PromotionPreview,
  VariantAction,
  VariantRow,
} from '../../../shared/variants';
import { currentApi, describeError } from '../store/actions';
import { useAppStore } from '../store/app-store';
import { FrameCoalescer } from './frame-coalescer';
import type { SortKey } from './variants-slice';
import { defaultDirection } from './leaderboard-columns';

/** What a dialog gets back: the value, or what went wrong in the host's words (per field too). */
export type Outcome<T> =
  { ok: true; value: T } | { ok: false; error: string; issues: readonly ApiIssue[] };

async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const issues = error instanceof ApiError ? error.issues : [];
    return { ok: false, error: describeError(error), issues };
  }
}

/** A row from `variantStarted` (whole) or patches from the other events, merged per frame. */
interface RowUpdate {
  full: VariantRow | null;
  patch: Partial<VariantRow>;
}

const rowUpdates = new FrameCoalescer<string, RowUpdate>(
  (earlier, later) =>
    later.full !== null
      ? later
      : { full: earlier.full, patch: { ...earlier.patch, ...later.patch } },
  (batch) => {
    let unknown = false;
    useAppStore.setState((s) => {
      const variants = { ...s.variants };
      for (const [variantId, update] of batch) {
        const base = update.full ?? variants[variantId];
        if (base === undefined) {
          unknown = true; // a variant deployed elsewhere: its whole row comes from the host
          continue;
        }
        variants[variantId] = { ...base, ...update.patch };
      }
      return { variants };
    });
    if (unknown) later(refreshAll, 'variants', 300);
  },
);

const timers = new Map<string, ReturnType<typeof setTimeout>>();
/** Runs `fn` once, `ms` after the first of several calls with the same name. */
function later(fn: () => unknown, name: string, ms: number): void {
  if (timers.has(name)) return;
  timers.set(
    name,
    setTimeout(() => {
      timers.delete(name);
      void fn();
    }, ms),
  );
}

let lastPositionsRefresh = 0;
/** Positions change on trades and stops; unrealised P&L on every bar (refreshed at most every 2 s). */
function refreshPositionsSoon(throttle: boolean): void {
  if (throttle && Date.now() - lastPositionsRefresh < 2_000) return;
  later(refreshPositions, 'positions', throttle ? 0 : 200);
}

/** Wires the variant manager's events to the store; called once per session. */
export function wireVariantEvents(api: Api): void {
  api.on('variantStarted', (row) => {
    rowUpdates.push(row.variantId, { full: row, patch: {} });
    later(refreshStrategies, 'strategies', 300);
    refreshPositionsSoon(false);
  });
  api.on('variantStopped', (e) => {
    rowUpdates.push(e.variantId, {
      full: null,
      patch: { status: e.status, statusReason: e.reason, position: null },
    });
    refreshPositionsSoon(false);
  });
  api.on('metricsUpdate', (update) => {
    for (const r of update.rows) {
      rowUpdates.push(r.variantId, {
        full: null,
        patch: {
          status: r.status,
          statusReason: r.statusReason,
          metrics: r.metrics,
          promotion: r.promotion,
          warmUpBarsLeft: r.warmUpBarsLeft,
          position: r.position,
        },
      });
    }
    refreshPositionsSoon(true);
  });
  api.on('promotionCandidate', (c) => {
    rowUpdates.push(c.variantId, { full: null, patch: { promotion: c.decision } });
  });
  api.on('promoted', () => {
    // Main's parameters and the strategy's version changed: read both back whole.
    later(refreshAll, 'variants', 100);
    later(refreshStrategies, 'strategies', 100);
  });
  api.on('tradeExecuted', () => refreshPositionsSoon(false));
  api.on('circuitBreaker', (state) =>
    useAppStore.setState({ circuitBreaker: state, circuitBreakerError: null }),
  );
}

/** Everything the dashboard shows, read afresh (on connect and after big changes). */
export async function refreshVariantManager(): Promise<void> {
  await Promise.all([
    refreshStrategies(),
    refreshAll(),
    refreshPositions(),
    refreshCircuitBreaker(),
    loadTemplates(),
  ]);
}

export async function refreshStrategies(): Promise<void> {
  try {
    const strategies = await currentApi().listStrategies({});
    useAppStore.setState({ strategies, strategiesError: null });
  } catch (error) {
    useAppStore.setState({ strategiesError: describeError(error) });
  }
}

async function refreshAll(): Promise<void> {
  try {
    const rows = await currentApi().listVariants({});
    const variants: Record<string, VariantRow> = {};
    for (const row of rows) variants[row.variantId] = row;
    // Events buffered during the call are newer than the snapshot; the next frame applies them.
    useAppStore.setState({ variants, variantsLoaded: true, variantsError: null });
  } catch (error) {
    useAppStore.setState({ variantsError: describeError(error) });
  }
}

export async function refreshPositions(): Promise<void> {
  lastPositionsRefresh = Date.now();
  try {
    const positions = await currentApi().listPositions({});
    useAppStore.setState({ positions, positionsLoaded: true, positionsError: null });
  } catch (error) {
    useAppStore.setState({ positionsError: describeError(error) });
  }
}

export async function refreshCircuitBreaker(): Promise<void> {
  try {
    const circuitBreaker = await currentApi().getCircuitBreaker({});
    useAppStore.setState({ circuitBreaker, circuitBreakerError: null });
  } catch (error) {
    useAppStore.setState({ circuitBreakerError: describeError(error) });
  }
}

export async function loadTemplates(): Promise<void> {
  try {
    const templates = await currentApi().listStrategyTemplates({});
    useAppStore.setState({ templates, templatesError: null });
  } catch (error) {
    useAppStore.setState({ templatesError: describeError(error) });
  }
}

/** Click on a column header: the same column flips direction, another starts at its default. */
export function sortLeaderboard(key: SortKey): void {
  useAppStore.setState((s) => ({
    sort:
      s.sort.key === key
        ? { key, direction: s.sort.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: defaultDirection(key) },
  }));
}

export function filterLeaderboard(strategyId: string | null): void {
  useAppStore.setState({ strategyFilter: strategyId });
}

function setRowError(variantId: string, message: string | null): void {
  useAppStore.setState((s) => {
    const rowErrors = { ...s.rowErrors };
    if (message === null) delete rowErrors[variantId];
    else rowErrors[variantId] = message;
    return { rowErrors };
  });
}

function applyRow(row: VariantRow): void {
  useAppStore.setState((s) => ({ variants: { ...s.variants, [row.variantId]: row } }));
}

/** Pause, resume or restart from a row; a refusal is shown in that row. */
export async function controlVariant(variantId: string, action: VariantAction): Promise<void> {
  setRowError(variantId, null);
  try {
    applyRow(await currentApi().controlVariant({ variantId, action }));
    refreshPositionsSoon(false);
  } catch (error) {
    setRowError(variantId, `${action} failed: ${describeError(error)}`);
  }
}

/** Start, pause or stop a whole strategy from its card; a refusal is shown on the card. */
export async function controlStrategy(strategyId: string, action: VariantAction): Promise<void> {
  useAppStore.setState((s) => {
    const strategyErrors = { ...s.strategyErrors };
    delete strategyErrors[strategyId];
    return { strategyErrors };
  });
  try {
    const rows = await currentApi().controlStrategy({ strategyId, action });
    useAppStore.setState((s) => {
      const variants = { ...s.variants };
      for (const row of rows) variants[row.variantId] = row;
      return { variants };
    });
    refreshPositionsSoon(false);
  } catch (error) {
    const message = `${action} failed: ${describeError(error)}`;
    useAppStore.setState((s) => ({
      strategyErrors: { ...s.strategyErrors, [strategyId]: message },
    }));
  }
}

export async function setAutoPromote(strategyId: string, enabled: boolean): Promise<void> {
  try {
    const summary = await currentApi().setAutoPromote({ strategyId, enabled });
    useAppStore.setState((s) => ({
      strategies: s.strategies.map((x) => (x.strategyId === strategyId ? summary : x)),
    }));
  } catch (error) {
    useAppStore.setState((s) => ({
      strategyErrors: {
        ...s.strategyErrors,
        [strategyId]: `auto-promote not changed: ${describeError(error)}`,
      },
    }));
  }
}

export function killVariant(variantId: string): Promise<Outcome<VariantRow>> {
  return attempt(async () => {
    const row = await currentApi().killVariant({ variantId });
    applyRow(row);
    setRowError(variantId, null);
    refreshPositionsSoon(false);
    return row;
  });
}

export function previewPromotion(variantId: string): Promise<Outcome<PromotionPreview>> {
  return attempt(() => currentApi().previewPromotion({ variantId }));
}

export function promoteVariant(
  variantId: string,
  acceptNonCandidate: boolean,
): Promise<Outcome<PromotionAuditRow>> {
  return attempt(async () => {
    const audit = await currentApi().promoteVariant({ variantId, acceptNonCandidate });
    await Promise.all([refreshAll(), refreshStrategies()]);
    return audit;
  });
}

export function deployStrategy(
  params: ParamsIn<'deployStrategy'>,
): Promise<Outcome<Result<'deployStrategy'>>> {
  return attempt(async () => {
    const result = await currentApi().deployStrategy(params);
    useAppStore.setState((s) => {
      const variants = { ...s.variants };
      for (const row of result.variants) variants[row.variantId] = row;
      return {
        variants,
        variantsLoaded: true,
        strategies: [
          ...s.strategies.filter((x) => x.strategyId !== result.strategy.strategyId),
          result.strategy,
        ],
      };
    });
    return result;
  });
}

/** The numbers the emergency-stop confirmation states, read fresh when it opens. */
export function emergencyStopScope(): Promise<
  Outcome<{ positions: number; strategies: number; variants: number }>
> {
  return attempt(async () => {
    const api = currentApi();
    const [positions, strategies, variants] = await Promise.all([
      api.listPositions({}),
      api.listStrategies({}),
      api.listVariants({}),
    ]);
    useAppStore.setState({ positions, positionsLoaded: true, positionsError: null });
    const live = variants.filter((v) => v.status !== 'stopped' && v.status !== 'error');
    const liveStrategies = new Set(live.map((v) => v.strategyId));
    return {
      positions: positions.length,
      strategies: liveStrategies.size || strategies.length,
      variants: live.length,
    };
  });
}

export function emergencyStop(): Promise<Outcome<Result<'emergencyStop'>>> {
  return attempt(async () => {
    const result = await currentApi().emergencyStop({});
    await Promise.all([refreshAll(), refreshPositions(), refreshCircuitBreaker()]);
    return result;
  });
}

export function resetCircuitBreaker(): Promise<Outcome<Result<'resetCircuitBreaker'>>> {
  return attempt(async () => {
    const state = await currentApi().resetCircuitBreaker({});
    useAppStore.setState({ circuitBreaker: state, circuitBreakerError: null });
    return state;
  });
}

/** The open position of one variant, for the kill confirmation (null when flat). */
export function positionOf(
  variantId: string,
): Promise<Outcome<Result<'listPositions'>[number] | null>> {
  return attempt(async () => {
    const positions = await currentApi().listPositions({});
    useAppStore.setState({ positions, positionsLoaded: true, positionsError: null });
    return positions.find((p) => p.variantId === variantId) ?? null;
  });
}
