import { useMemo } from 'react';
import type { StrategySummary, VariantAction, VariantRow } from '../../../shared/variants';
import { formatMoney, formatSignedPct } from '../layout/format';
import { PaperBadge } from '../layout/paper-badge';
import { useAppStore } from '../store/app-store';
import { controlStrategy, setAutoPromote } from './variant-actions';

interface CardFigures {
  main: VariantRow | undefined;
  counts: Record<VariantRow['status'], number>;
  /** Main's P&L in quote currency: equity minus the paper account it started with. */
  pnl: number | null;
  /** The variants beside main (main's figures are its own, never summed with theirs). */
  variants: {
    count: number;
    trades: number;
    /** The best ROI among them, and whose; null before any is measured. */
    best: { variantId: string; roiPct: number } | null;
  };
}

/** What a card shows: main's own P&L and trades, and the variants' figures apart. */
export function cardFigures(strategy: StrategySummary, rows: readonly VariantRow[]): CardFigures {
  const counts = { warming: 0, running: 0, paused: 0, stopped: 0, error: 0 };
  let count = 0;
  let trades = 0;
  let best: CardFigures['variants']['best'] = null;
  for (const r of rows) {
    counts[r.status]++;
    if (r.variantId === strategy.mainVariantId) continue;
    count++;
    trades += r.metrics.tradeCount;
    if (Number.isFinite(r.metrics.roiPct) && (best === null || r.metrics.roiPct > best.roiPct))
      best = { variantId: r.variantId, roiPct: r.metrics.roiPct };
  }
  const main = rows.find((r) => r.variantId === strategy.mainVariantId);
  const pnl =
    main === undefined
      ? null
      : main.metrics.equity - main.metrics.equity / (1 + main.metrics.roiPct / 100);
  return { main, counts, pnl, variants: { count, trades, best } };
}

function StrategyCard({
  strategy,
  rows,
}: {
  strategy: StrategySummary;
  rows: readonly VariantRow[];
}): React.JSX.Element {
  const error = useAppStore((s) => s.strategyErrors[strategy.strategyId]);
  const f = cardFigures(strategy, rows);
  const live = f.counts.running + f.counts.warming + f.counts.paused;
  const allEnded = rows.length > 0 && live === 0;
  const control = (action: VariantAction) => () =>
    void controlStrategy(strategy.strategyId, action);
  const statusLine = (Object.entries(f.counts) as Array<[string, number]>)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(' · ');
  return (
    <article
      className="strategy-card"
      data-testid="strategy-card"
      data-strategy-id={strategy.strategyId}
    >
      <header>
        <strong>{strategy.name}</strong>
        <span className="muted"> v{strategy.version}</span>
        {f.main?.mode === 'paper' && <PaperBadge />}
      </header>
      <div className="card-line">
        <span data-testid="card-symbol">{strategy.series.symbol}</span>
        <span className="muted"> · {strategy.timeframe}</span>
        <span className="muted"> · {strategy.series.exchange}</span>
      </div>
      <div className="card-figures" data-testid="card-main">
        <span className="muted">main</span>
        <span
          className={f.pnl === null ? undefined : f.pnl >= 0 ? 'pos' : 'neg'}
          title="Main's P&L on its paper account"
          data-testid="card-pnl"
        >
          {f.pnl === null
            ? 'n/a'
            : `${formatMoney(f.pnl)} ${strategy.series.symbol.split('/')[1]?.split(':')[0] ?? ''}`}{' '}
          ({formatSignedPct(f.main?.metrics.roiPct ?? null)})
        </span>
        <span title="Main's closed trades" data-testid="card-trades">
          {f.main?.metrics.tradeCount ?? 0} {f.main?.metrics.tradeCount === 1 ? 'trade' : 'trades'}
        </span>
      </div>
      {f.variants.count > 0 && (
        <div
          className="card-figures muted"
          title="The variants beside main: their closed trades, and the best ROI among them"
          data-testid="card-variants"
        >
          <span>
            {f.variants.count} {f.variants.count === 1 ? 'variant' : 'variants'}
          </span>
          <span data-testid="card-variants-best">
            {f.variants.best === null
              ? 'best n/a'
              : `best ${formatSignedPct(f.variants.best.roiPct)} (${f.variants.best.variantId})`}
          </span>
          <span data-testid="card-variants-trades">
            {f.variants.trades} {f.variants.trades === 1 ? 'trade' : 'trades'}
          </span>
        </div>
      )}
      <div className="card-line muted" data-testid="card-status">
        {statusLine || 'no variants'} · {strategy.trials} trials
      </div>
      <div className="card-actions">
        <button
          type="button"
          onClick={control(allEnded ? 'restart' : 'resume')}
          disabled={!allEnded && f.counts.paused === 0}
          data-testid="card-start"
        >
          Start
        </button>
        <button
          type="button"
          onClick={control('pause')}
          disabled={f.counts.running + f.counts.warming === 0}
          data-testid="card-pause"
        >
          Pause
        </button>
        <button
          type="button"
          className="danger"
          onClick={control('stop')}
          disabled={live === 0}
          data-testid="card-stop"
        >
          Stop
        </button>
        <label className="auto-promote" title="Promote candidates without asking (off by default)">
          <input
            type="checkbox"
            checked={strategy.autoPromote}
            onChange={(e) => void setAutoPromote(strategy.strategyId, e.target.checked)}
          />
          auto-promote
        </label>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="card-error">
          {error}
        </p>
      )}
    </article>
  );
}

/** One card per deployed strategy: where it trades, how main does, and start / pause / stop. */
export function StrategyCards(): React.JSX.Element {
  const strategies = useAppStore((s) => s.strategies);
  const error = useAppStore((s) => s.strategiesError);
  const variants = useAppStore((s) => s.variants);
  const byStrategy = useMemo(
    () => Map.groupBy(Object.values(variants), (v) => v.strategyId),
    [variants],
  );
  return (
    <section className="panel strategy-cards" aria-label="Strategies" data-testid="strategy-cards">
      <div className="panel-head">
        <h2>Strategies</h2>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="strategies-error">
          Strategies could not be read: {error}
        </p>
      )}
      {strategies.length === 0 && !error && (
        <p className="empty">No strategies yet — deploy a template to start one.</p>
      )}
      <div className="card-grid">
        {strategies.map((s) => (
          <StrategyCard key={s.strategyId} strategy={s} rows={byStrategy.get(s.strategyId) ?? []} />
        ))}
      </div>
    </section>
  );
}
