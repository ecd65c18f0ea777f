import type { SeriesKey, Timeframe } from '../../shared/market';
import type {
  SafetyLimits,
  Sampler,
  TradingMode,
  VariantRole,
  VariantStatus,
} from '../../shared/variants';
import type { Db } from './database';
import { sqlStatement, type SqlStatement } from './store-commit';

/** Parameter values of one variant (numbers, or a choice's values). */
export type StoredParameters = Readonly<Record<string, number | string>>;

/** How a strategy was deployed: what its variants were drawn with and trade under. */
export interface DeploySettings {
  readonly variants: number;
  readonly sampler: Sampler;
  readonly seed: number;
  readonly safety: SafetyLimits;
  readonly initialCash: number;
  readonly mode: TradingMode;
}

/** A deployed strategy as stored. */
export interface StoredStrategy {
  readonly strategyId: string;
  readonly name: string;
  readonly templateId: string | null;
  /** Which trial ledger its parameter sets count towards (the definition, e.g. its template). */
  readonly ledgerKey: string;
  /** The strategy config (JSON) its variants compile. */
  readonly config: unknown;
  readonly version: number;
  readonly mainParameters: StoredParameters;
  readonly series: SeriesKey;
  readonly strategyTimeframe: Timeframe;
  readonly settings: DeploySettings;
  readonly autoPromote: boolean;
  /** False once every variant was stopped (not restored at start). */
  readonly active: boolean;
  /** Open time of the first bar its indicators were warmed from (re-warming starts there). */
  readonly originTime: number | null;
  /** Open time of the last base bar processed and committed together with the checkpoints. */
  readonly lastTime: number | null;
  /** The manager's own state of the strategy at `lastTime` (JSON), e.g. main's shadow metrics. */
  readonly state: unknown;
  readonly createdAt: number;
}

/** A variant (or main) as stored. */
export interface StoredVariant {
  readonly variantId: string;
  readonly strategyId: string;
  readonly role: VariantRole;
  /** 0 for main, 1… for the variants, in the order they were drawn. */
  readonly ordinal: number;
  readonly parameters: StoredParameters;
  readonly mode: TradingMode;
  readonly status: VariantStatus;
  readonly statusReason: string | null;
  readonly startedAt: number;
  /** The variant's state as of the strategy's `lastTime` (JSON), null before its first commit. */
  readonly checkpoint: unknown;
}

interface StrategyRow {
  strategy_id: string;
  name: string;
  template_id: string | null;
  ledger_key: string;
  config: string;
  version: number;
  main_parameters: string;
  exchange: string;
  symbol: string;
  timeframe: string;
  strategy_timeframe: string;
  settings: string;
  auto_promote: number;
  active: number;
  origin_time: number | null;
  last_time: number | null;
  state: string | null;
  created_at: number;
}

interface VariantRow {
  variant_id: string;
  strategy_id: string;
  role: VariantRole;
  ordinal: number;
  parameters: string;
  mode: TradingMode;
  status: VariantStatus;
  status_reason: string | null;
  started_at: number;
  checkpoint: string | null;
}

const toStrategy = (r: StrategyRow): StoredStrategy => ({
  strategyId: r.strategy_id,
  name: r.name,
  templateId: r.template_id,
  ledgerKey: r.ledger_key,
  config: JSON.parse(r.config) as unknown,
  version: r.version,
  mainParameters: JSON.parse(r.main_parameters) as StoredParameters,
  series: { exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe as Timeframe },
  strategyTimeframe: r.strategy_timeframe as Timeframe,
  settings: JSON.parse(r.settings) as DeploySettings,
  autoPromote: r.auto_promote !== 0,
  active: r.active !== 0,
  originTime: r.origin_time,
  lastTime: r.last_time,
  state: r.state === null ? null : (JSON.parse(r.state) as unknown),
  createdAt: r.created_at,
});

const toVariant = (r: VariantRow): StoredVariant => ({
  variantId: r.variant_id,
  strategyId: r.strategy_id,
  role: r.role,
  ordinal: r.ordinal,
  parameters: JSON.parse(r.parameters) as StoredParameters,
  mode: r.mode,
  status: r.status,
  statusReason: r.status_reason,
  startedAt: r.started_at,
  checkpoint: r.checkpoint === null ? null : (JSON.parse(r.checkpoint) as unknown),
});

/**
 * Deployed strategies and their variants: definition, version, main's parameters, each
 * variant's status and checkpoint. Writes join the caller's transaction when one is open, so
 * checkpoints commit together with the records of the same bars.
 */
export class LiveStrategyRepository {
  private readonly insertStrategyStmt;
  private readonly insertVariantStmt;
  private readonly updateVariantStmt;
  private readonly updateStatusStmt;
  private readonly updateProgressStmt;
  private readonly updateParametersStmt;

  public constructor(private readonly db: Db) {
    this.insertStrategyStmt = db.prepare(
      `INSERT INTO live_strategies (strategy_id, name, template_id, ledger_key, config, version,
         main_parameters, exchange, symbol, timeframe, strategy_timeframe, settings, auto_promote,
         active, origin_time, last_time, state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertVariantStmt = db.prepare(
      `INSERT INTO live_variants (variant_id, strategy_id, role, ordinal, parameters, mode, status,
         status_reason, started_at, checkpoint, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateVariantStmt = db.prepare(
      `UPDATE live_variants SET status = ?, status_reason = ?, checkpoint = ?, updated_at = ?
       WHERE variant_id = ?`,
    );
    this.updateStatusStmt = db.prepare(
      `UPDATE live_variants SET status = ?, status_reason = ?, started_at = ?, parameters = ?,
         updated_at = ? WHERE variant_id = ?`,
    );
    this.updateProgressStmt = db.prepare(
      `UPDATE live_strategies SET last_time = ?, origin_time = ?, state = ?, active = ?
       WHERE strategy_id = ?`,
    );
    this.updateParametersStmt = db.prepare(
      `UPDATE live_strategies SET version = ?, main_parameters = ?, auto_promote = ?
       WHERE strategy_id = ?`,
    );
  }

  /** The next free strategy number (ids are `s1`, `s2`, …). */
  public nextStrategyNumber(): number {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM live_strategies').get() as { n: number };
    return row.n + 1;
  }

  public insertStrategy(s: StoredStrategy, variants: readonly StoredVariant[], now: number): void {
    this.db.transaction(() => {
      this.insertStrategyStmt.run(
        s.strategyId,
        s.name,
        s.templateId,
        s.ledgerKey,
        JSON.stringify(s.config),
        s.version,
        JSON.stringify(s.mainParameters),
        s.series.exchange,
        s.series.symbol,
        s.series.timeframe,
        s.strategyTimeframe,
        JSON.stringify(s.settings),
        s.autoPromote ? 1 : 0,
        s.active ? 1 : 0,
        s.originTime,
        s.lastTime,
        s.state === null ? null : JSON.stringify(s.state),
        s.createdAt,
      );
      for (const v of variants) {
        this.insertVariantStmt.run(
          v.variantId,
          v.strategyId,
          v.role,
          v.ordinal,
          JSON.stringify(v.parameters),
          v.mode,
          v.status,
          v.statusReason,
          v.startedAt,
          v.checkpoint === null ? null : JSON.stringify(v.checkpoint),
          now,
        );
      }
    })();
  }

  /** A variant's status and checkpoint, as a statement of the manager's commit. */
  public saveVariant(
    variantId: string,
    status: VariantStatus,
    reason: string | null,
    checkpoint: unknown,
    now: number,
  ): SqlStatement {
    return sqlStatement(this.updateVariantStmt, [
      status,
      reason,
      checkpoint === null ? null : JSON.stringify(checkpoint),
      now,
      variantId,
    ]);
  }

  /** A variant (re)started: new start time, maybe new parameters; its checkpoint is kept. */
  public restartVariant(
    variantId: string,
    status: VariantStatus,
    reason: string | null,
    startedAt: number,
    parameters: StoredParameters,
    now: number,
  ): void {
    this.updateStatusStmt.run(
      status,
      reason,
      startedAt,
      JSON.stringify(parameters),
      now,
      variantId,
    );
  }

  /**
   * The strategy's progress (the last committed bar and the manager's state at it), as a
   * statement of the manager's commit.
   */
  public saveProgress(
    strategyId: string,
    lastTime: number | null,
    originTime: number | null,
    state: unknown,
    active: boolean,
  ): SqlStatement {
    return sqlStatement(this.updateProgressStmt, [
      lastTime,
      originTime,
      state === null ? null : JSON.stringify(state),
      active ? 1 : 0,
      strategyId,
    ]);
  }

  /** Main's parameters, the strategy's version and auto-promote. */
  public saveDefinition(
    strategyId: string,
    version: number,
    mainParameters: StoredParameters,
    autoPromote: boolean,
  ): void {
    this.updateParametersStmt.run(
      version,
      JSON.stringify(mainParameters),
      autoPromote ? 1 : 0,
      strategyId,
    );
  }

  public strategies(): StoredStrategy[] {
    return (
      this.db
        .prepare('SELECT * FROM live_strategies ORDER BY created_at, rowid')
        .all() as StrategyRow[]
    ).map(toStrategy);
  }

  public variants(strategyId: string): StoredVariant[] {
    return (
      this.db
        .prepare('SELECT * FROM live_variants WHERE strategy_id = ? ORDER BY ordinal')
        .all(strategyId) as VariantRow[]
    ).map(toVariant);
  }
}
