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
];
