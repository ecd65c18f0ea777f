/**
 * Versioned schema migrations, applied in order at start. Never edit a shipped migration:
 * add a new one. Each runs in a transaction with its version record.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'candles',
    sql: `
      CREATE TABLE candles (
        exchange  TEXT    NOT NULL,
        symbol    TEXT    NOT NULL,
        timeframe TEXT    NOT NULL,
        open_time INTEGER NOT NULL,
        open      REAL    NOT NULL,
        high      REAL    NOT NULL,
        low       REAL    NOT NULL,
        close     REAL    NOT NULL,
        volume    REAL    NOT NULL,
        PRIMARY KEY (exchange, symbol, timeframe, open_time)
      ) WITHOUT ROWID;

      CREATE TABLE history_imports (
        id          INTEGER PRIMARY KEY,
        file_name   TEXT    NOT NULL,
        exchange    TEXT    NOT NULL,
        symbol      TEXT    NOT NULL,
        timeframe   TEXT    NOT NULL,
        format      TEXT    NOT NULL,
        rows        INTEGER NOT NULL,
        inserted    INTEGER NOT NULL,
        first_time  INTEGER NOT NULL,
        last_time   INTEGER NOT NULL,
        imported_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'exchange_gaps',
    // Intervals [from_time, to_time) for which the exchange's own history has no bar (Kraken
    // omits minutes without trades): a hole in candles not covered here is missing data.
    sql: `
      CREATE TABLE exchange_gaps (
        exchange    TEXT    NOT NULL,
        symbol      TEXT    NOT NULL,
        timeframe   TEXT    NOT NULL,
        from_time   INTEGER NOT NULL,
        to_time     INTEGER NOT NULL,
        verified_at INTEGER NOT NULL,
        PRIMARY KEY (exchange, symbol, timeframe, from_time)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'engine_records',
    // What the engine does, per run: a backtest run or a live variant's session. `run_id` ties
    // orders, trades, signals and metric snapshots to it; times are bar open times (epoch ms).
    sql: `
      CREATE TABLE backtest_runs (
        run_id        TEXT    PRIMARY KEY,
        strategy_name TEXT    NOT NULL,
        template_id   TEXT,
        parameters    TEXT    NOT NULL,
        exchange      TEXT    NOT NULL,
        symbol        TEXT    NOT NULL,
        timeframe     TEXT    NOT NULL,
        from_time     INTEGER,
        to_time       INTEGER,
        status        TEXT    NOT NULL,
        bars          INTEGER NOT NULL DEFAULT 0,
        started_at    INTEGER NOT NULL,
        finished_at   INTEGER,
        error         TEXT
      );

      CREATE TABLE orders (
        run_id        TEXT    NOT NULL,
        variant_id    TEXT    NOT NULL,
        order_id      INTEGER NOT NULL,
        seq           INTEGER NOT NULL,
        time          INTEGER,
        status        TEXT    NOT NULL,
        kind          TEXT,
        side          TEXT,
        reason        TEXT    NOT NULL,
        reject_reason TEXT,
        message       TEXT,
        PRIMARY KEY (run_id, variant_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE trades (
        run_id       TEXT    NOT NULL,
        variant_id   TEXT    NOT NULL,
        trade_id     INTEGER NOT NULL,
        side         TEXT    NOT NULL,
        quantity     REAL    NOT NULL,
        leverage     REAL    NOT NULL,
        entry_time   INTEGER NOT NULL,
        entry_price  REAL    NOT NULL,
        entry_reason TEXT    NOT NULL,
        exit_time    INTEGER NOT NULL,
        exit_price   REAL    NOT NULL,
        exit_reason  TEXT    NOT NULL,
        gross_pnl    REAL    NOT NULL,
        fee          REAL    NOT NULL,
        net_pnl      REAL    NOT NULL,
        margin       REAL    NOT NULL,
        roi_pct      REAL    NOT NULL,
        PRIMARY KEY (run_id, variant_id, trade_id)
      ) WITHOUT ROWID;
      CREATE INDEX trades_by_exit_time ON trades (exit_time);

      CREATE TABLE signals (
        run_id     TEXT    NOT NULL,
        variant_id TEXT    NOT NULL,
        seq        INTEGER NOT NULL,
        time       INTEGER NOT NULL,
        rule       TEXT    NOT NULL,
        action     TEXT    NOT NULL,
        order_id   INTEGER,
        terms      TEXT    NOT NULL,
        PRIMARY KEY (run_id, variant_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE metric_snapshots (
        run_id     TEXT    NOT NULL,
        variant_id TEXT    NOT NULL,
        time       INTEGER NOT NULL,
        snapshot   TEXT    NOT NULL,
        PRIMARY KEY (run_id, variant_id, time)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'variant_manager',
    // Deployed strategies (main plus variants) and what makes them survive a hard kill: each
    // variant's checkpoint is written in the same transaction as its orders, trades and signals
    // up to that bar, and the strategy's `last_time` names that bar. Live records use
    // run_id = strategy_id in orders / trades / signals / metric_snapshots; the role comes from
    // live_variants. The trial ledger is keyed by the strategy definition (its template), so
    // backtests and live variants of it count towards the same N.
    sql: `
      CREATE TABLE live_strategies (
        strategy_id        TEXT    PRIMARY KEY,
        name               TEXT    NOT NULL,
        template_id        TEXT,
        ledger_key         TEXT    NOT NULL,
        config             TEXT    NOT NULL,
        version            INTEGER NOT NULL,
        main_parameters    TEXT    NOT NULL,
        exchange           TEXT    NOT NULL,
        symbol             TEXT    NOT NULL,
        timeframe          TEXT    NOT NULL,
        strategy_timeframe TEXT    NOT NULL,
        settings           TEXT    NOT NULL,
        auto_promote       INTEGER NOT NULL DEFAULT 0,
        active             INTEGER NOT NULL DEFAULT 1,
        origin_time        INTEGER,
        last_time          INTEGER,
        state              TEXT,
        created_at         INTEGER NOT NULL
      );

      CREATE TABLE live_variants (
        variant_id    TEXT    PRIMARY KEY,
        strategy_id   TEXT    NOT NULL REFERENCES live_strategies (strategy_id),
        role          TEXT    NOT NULL,
        ordinal       INTEGER NOT NULL,
        parameters    TEXT    NOT NULL,
        mode          TEXT    NOT NULL,
        status        TEXT    NOT NULL,
        status_reason TEXT,
        started_at    INTEGER NOT NULL,
        checkpoint    TEXT,
        updated_at    INTEGER NOT NULL
      );
      CREATE INDEX live_variants_by_strategy ON live_variants (strategy_id, ordinal);

      CREATE TABLE trial_ledger (
        ledger_key        TEXT    NOT NULL,
        parameter_key     TEXT    NOT NULL,
        parameters        TEXT    NOT NULL,
        source            TEXT    NOT NULL,
        first_seen        INTEGER NOT NULL,
        per_period_sharpe REAL,
        PRIMARY KEY (ledger_key, parameter_key)
      ) WITHOUT ROWID;

      CREATE TABLE promotion_audit (
        audit_id          INTEGER PRIMARY KEY,
        strategy_id       TEXT    NOT NULL,
        variant_id        TEXT    NOT NULL,
        time              INTEGER NOT NULL,
        by                TEXT    NOT NULL,
        was_candidate     INTEGER NOT NULL,
        before_parameters TEXT    NOT NULL,
        after_parameters  TEXT    NOT NULL,
        decision          TEXT    NOT NULL,
        version_before    INTEGER NOT NULL,
        version_after     INTEGER NOT NULL
      );

      CREATE TABLE alerts (
        alert_id    INTEGER PRIMARY KEY,
        time        INTEGER NOT NULL,
        kind        TEXT    NOT NULL,
        severity    TEXT    NOT NULL,
        message     TEXT    NOT NULL,
        strategy_id TEXT,
        variant_id  TEXT
      );

      CREATE TABLE app_settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'alert bar time',
    // During a replay the wall clock says nothing about when in the market an event happened:
    // the open time of the bar it happened at (epoch ms), null when no bar applies.
    sql: `ALTER TABLE alerts ADD COLUMN bar_time INTEGER;`,
  },
];
