import { useAppStore } from '../store/app-store';

const KIND_LABEL = { simulated: 'SIMULATED', replay: 'REPLAY', exchange: 'LIVE' } as const;

/** Feed kind, series, speed and throughput, always visible at the bottom. */
export function StatusBar(): React.JSX.Element {
  const feed = useAppStore((s) => s.feed);
  const connection = useAppStore((s) => s.connection);
  const transport = useAppStore((s) => s.transport);
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`conn conn-${connection}`} title={`host connection: ${connection}`}>
        ● {connection === 'open' ? 'connected' : connection}
        {transport ? ` (${transport === 'electron' ? 'desktop' : 'headless'})` : ''}
      </span>
      {feed && (
        <>
          <span className={`feed-kind feed-kind-${feed.kind}`} data-testid="feed-kind">
            {KIND_LABEL[feed.kind]}
          </span>
          <span data-testid="feed-series">
            {feed.series.exchange} · {feed.series.symbol} · {feed.series.timeframe}
          </span>
          {feed.replaySpeed !== null && (
            <span data-testid="feed-speed">
              speed {feed.replaySpeed === 'max' ? 'max' : `${feed.replaySpeed}×`}
            </span>
          )}
          <span data-testid="feed-state">{feed.state}</span>
          {feed.health && (
            <span
              data-testid="feed-health"
              title="lag behind the exchange, reconnects, malformed messages skipped, rate limits hit"
            >
              lag{' '}
              {feed.health.lagMs === null
                ? '—'
                : `${Math.max(0, Math.round(feed.health.lagMs))} ms`}{' '}
              · reconnects <span data-testid="feed-reconnects">{feed.health.reconnects}</span> · bad
              msgs {feed.health.badMessages}
              {feed.health.rateLimited > 0 ? ` · rate-limited ${feed.health.rateLimited}×` : ''}
            </span>
          )}
          {feed.error && (
            // Once the feed is live again the error is history: shown muted, not as an alarm.
            <span
              className={feed.state === 'live' ? 'notice' : 'error'}
              data-testid="feed-status-error"
              title={feed.error}
            >
              {feed.state === 'live' ? `last error: ${feed.error}` : feed.error}
            </span>
          )}
          <span data-testid="feed-rate">{feed.messagesPerSecond.toLocaleString()} msg/s</span>
          {feed.progress !== null && (
            <span data-testid="feed-progress">{(feed.progress * 100).toFixed(2)}%</span>
          )}
          <span className="feed-label">{feed.label}</span>
        </>
      )}
    </footer>
  );
}
