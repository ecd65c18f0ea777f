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
  {
    version: 6,
    name: 'engine records in insertion order',
    // Storing records was nearly all the live path's cost: wide rows clustered by (run_id TEXT,
    // variant_id TEXT, seq) put each of 100–1,000 interleaved variants' rows in a different place
    // of the B-tree, so every commit rewrote a page per variant and table. Rows now go to rowid
    // tables in the order they are written, with small integer keys for the run and the (run,
    // variant) pair; each table's old key stays unique through a narrow index that leads with
    // what grows as the run goes on (seq, trade id, bar time), so it is appended to as well.
    // Views with the old tables' names and columns keep every reader's SQL and results.
    sql: `
      CREATE TABLE record_runs (
        run    INTEGER PRIMARY KEY,
        run_id TEXT    NOT NULL UNIQUE
      );
      CREATE TABLE record_variants (
        stream     INTEGER PRIMARY KEY,
        run        INTEGER NOT NULL,
        variant_id TEXT    NOT NULL,
        UNIQUE (run, variant_id)
      );
      INSERT INTO record_runs (run_id)
        SELECT run_id FROM orders
        UNION SELECT run_id FROM trades
        UNION SELECT run_id FROM signals
        UNION SELECT run_id FROM metric_snapshots
        ORDER BY 1;
      INSERT INTO record_variants (run, variant_id)
        SELECT r.run, k.variant_id FROM (
          SELECT run_id, variant_id FROM orders
          UNION SELECT run_id, variant_id FROM trades
          UNION SELECT run_id, variant_id FROM signals
          UNION SELECT run_id, variant_id FROM metric_snapshots
        ) k JOIN record_runs r ON r.run_id = k.run_id
        ORDER BY r.run, k.variant_id;
      CREATE TEMP VIEW old_keys AS
        SELECT r.run_id, v.variant_id, v.run, v.stream
        FROM record_variants v JOIN record_runs r ON r.run = v.run;

      CREATE TABLE order_log (
        run           INTEGER NOT NULL,
        stream        INTEGER NOT NULL,
        seq           INTEGER NOT NULL,
        order_id      INTEGER NOT NULL,
        time          INTEGER,
        status        TEXT    NOT NULL,
        kind          TEXT,
        side          TEXT,
        reason        TEXT    NOT NULL,
        reject_reason TEXT,
        message       TEXT
      );
      INSERT INTO order_log
        SELECT k.run, k.stream, o.seq, o.order_id, o.time, o.status, o.kind, o.side, o.reason,
               o.reject_reason, o.message
        FROM orders o JOIN old_keys k USING (run_id, variant_id)
        ORDER BY k.run, o.seq, k.stream;
      DROP TABLE orders;
      CREATE UNIQUE INDEX order_log_key ON order_log (run, seq, stream);
      CREATE VIEW orders AS
        SELECT r.run_id, v.variant_id, o.order_id, o.seq, o.time, o.status, o.kind, o.side,
               o.reason, o.reject_reason, o.message
        FROM order_log o
        JOIN record_runs r ON r.run = o.run
        JOIN record_variants v ON v.stream = o.stream;

      CREATE TABLE trade_log (
        run          INTEGER NOT NULL,
        stream       INTEGER NOT NULL,
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
        roi_pct      REAL    NOT NULL
      );
      INSERT INTO trade_log
        SELECT k.run, k.stream, t.trade_id, t.side, t.quantity, t.leverage, t.entry_time,
               t.entry_price, t.entry_reason, t.exit_time, t.exit_price, t.exit_reason,
               t.gross_pnl, t.fee, t.net_pnl, t.margin, t.roi_pct
        FROM trades t JOIN old_keys k USING (run_id, variant_id)
        ORDER BY k.run, t.exit_time, k.stream, t.trade_id;
      DROP TABLE trades;
      CREATE UNIQUE INDEX trade_log_key ON trade_log (run, trade_id, stream);
      CREATE INDEX trade_log_by_exit_time ON trade_log (exit_time);
      CREATE VIEW trades AS
        SELECT r.run_id, v.variant_id, t.trade_id, t.side, t.quantity, t.leverage, t.entry_time,
               t.entry_price, t.entry_reason, t.exit_time, t.exit_price, t.exit_reason,
               t.gross_pnl, t.fee, t.net_pnl, t.margin, t.roi_pct
        FROM trade_log t
        JOIN record_runs r ON r.run = t.run
        JOIN record_variants v ON v.stream = t.stream;

      CREATE TABLE signal_log (
        run      INTEGER NOT NULL,
        stream   INTEGER NOT NULL,
        seq      INTEGER NOT NULL,
        time     INTEGER NOT NULL,
        rule     TEXT    NOT NULL,
        action   TEXT    NOT NULL,
        order_id INTEGER,
        terms    TEXT    NOT NULL
      );
      INSERT INTO signal_log
        SELECT k.run, k.stream, s.seq, s.time, s.rule, s.action, s.order_id, s.terms
        FROM signals s JOIN old_keys k USING (run_id, variant_id)
        ORDER BY k.run, s.seq, k.stream;
      DROP TABLE signals;
      CREATE UNIQUE INDEX signal_log_key ON signal_log (run, seq, stream);
      CREATE VIEW signals AS
        SELECT r.run_id, v.variant_id, s.seq, s.time, s.rule, s.action, s.order_id, s.terms
        FROM signal_log s
        JOIN record_runs r ON r.run = s.run
        JOIN record_variants v ON v.stream = s.stream;

      CREATE TABLE snapshot_log (
        run      INTEGER NOT NULL,
        stream   INTEGER NOT NULL,
        time     INTEGER NOT NULL,
        snapshot TEXT    NOT NULL
      );
      INSERT INTO snapshot_log
        SELECT k.run, k.stream, m.time, m.snapshot
        FROM metric_snapshots m JOIN old_keys k USING (run_id, variant_id)
        ORDER BY k.run, m.time, k.stream;
      DROP TABLE metric_snapshots;
      CREATE UNIQUE INDEX snapshot_log_key ON snapshot_log (run, time, stream);
      CREATE VIEW metric_snapshots AS
        SELECT r.run_id, v.variant_id, m.time, m.snapshot
        FROM snapshot_log m
        JOIN record_runs r ON r.run = m.run
        JOIN record_variants v ON v.stream = m.stream;

      DROP VIEW old_keys;
    `,
  },
  {
    version: 7,
    name: 'signal terms apart from their texts',
    // A signal row held its terms as JSON objects, each with its text: half of a signal's insert
    // cost, and signals are two of every trade's five records. A rule's texts never change, so
    // they are stored once (signal_term_texts) and a signal keeps its values only, as a JSON
    // array; the view puts the old \`terms\` column back together.
    sql: `
      CREATE TABLE signal_term_texts (
        texts_id INTEGER PRIMARY KEY,
        texts    TEXT    NOT NULL UNIQUE
      );
      CREATE TEMP TABLE signal_split AS
        SELECT s.rowid AS rid,
               (SELECT json_group_array(j.value ->> 'text' ORDER BY j.key)
                  FROM json_each(s.terms) j) AS texts,
               (SELECT json_group_array(j.value -> 'value' ORDER BY j.key)
                  FROM json_each(s.terms) j) AS term_values
        FROM signal_log s;
      INSERT INTO signal_term_texts (texts)
        SELECT texts FROM signal_split GROUP BY texts ORDER BY MIN(rid);

      DROP VIEW signals;
      CREATE TABLE signal_log_v7 (
        run         INTEGER NOT NULL,
        stream      INTEGER NOT NULL,
        seq         INTEGER NOT NULL,
        time        INTEGER NOT NULL,
        rule        TEXT    NOT NULL,
        action      TEXT    NOT NULL,
        order_id    INTEGER,
        texts_id    INTEGER NOT NULL,
        term_values TEXT    NOT NULL
      );
      INSERT INTO signal_log_v7
        SELECT s.run, s.stream, s.seq, s.time, s.rule, s.action, s.order_id, x.texts_id,
               p.term_values
        FROM signal_log s
        JOIN signal_split p ON p.rid = s.rowid
        JOIN signal_term_texts x ON x.texts = p.texts
        ORDER BY s.rowid;
      DROP TABLE signal_log;
      DROP TABLE signal_split;
      ALTER TABLE signal_log_v7 RENAME TO signal_log;
      CREATE UNIQUE INDEX signal_log_key ON signal_log (run, seq, stream);
      CREATE VIEW signals AS
        SELECT r.run_id, v.variant_id, s.seq, s.time, s.rule, s.action, s.order_id,
               (SELECT json_group_array(
                         json_object('text', t.value, 'value', s.term_values -> t.key)
                         ORDER BY t.key)
                  FROM json_each(x.texts) t) AS terms
        FROM signal_log s
        JOIN record_runs r ON r.run = s.run
        JOIN record_variants v ON v.stream = s.stream
        JOIN signal_term_texts x ON x.texts_id = s.texts_id;
    `,
  },
];
