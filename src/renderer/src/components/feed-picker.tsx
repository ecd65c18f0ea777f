import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ReplaySpeed, SeriesKey } from '../../../shared/market';
import { selectFeed, setReplaySpeed } from '../store/actions';
import { useAppStore } from '../store/app-store';

const SPEEDS: ReplaySpeed[] = [1, 10, 100, 'max'];
const SIMULATED = 'simulated';
const keyOf = (s: SeriesKey): string => `${s.exchange}|${s.symbol}|${s.timeframe}`;

/** Choose the simulated market or a replay of imported history, and the replay speed. */
export function FeedPicker(): React.JSX.Element {
  const series = useAppStore(useShallow((s) => s.series));
  const feed = useAppStore((s) => s.feed);
  const feedError = useAppStore((s) => s.feedError);
  const [choice, setChoice] = useState<string>(SIMULATED);
  const [speed, setSpeed] = useState<ReplaySpeed>(100);

  const apply = (): void => {
    if (choice === SIMULATED) {
      void selectFeed({ kind: 'simulated' });
      return;
    }
    const s = series.find((x) => keyOf(x) === choice);
    if (s)
      void selectFeed({
        kind: 'replay',
        series: { exchange: s.exchange, symbol: s.symbol, timeframe: s.timeframe },
        speed,
      });
  };

  const onSpeed = (value: string): void => {
    const next = (value === 'max' ? 'max' : Number(value)) as ReplaySpeed;
    setSpeed(next);
    if (feed?.kind === 'replay' && feed.state === 'live') void setReplaySpeed(next);
  };

  return (
    <div className="feed-picker">
      <label>
        Market
        <select
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          data-testid="feed-select"
        >
          <option value={SIMULATED}>Simulated market (offline)</option>
          {series.map((s) => (
            <option key={keyOf(s)} value={keyOf(s)}>
              Replay {s.exchange} {s.symbol} {s.timeframe} · {s.count.toLocaleString()} bars
            </option>
          ))}
        </select>
      </label>
      <label>
        Speed
        <select
          value={String(speed)}
          onChange={(e) => onSpeed(e.target.value)}
          data-testid="speed-select"
          disabled={choice === SIMULATED}
        >
          {SPEEDS.map((s) => (
            <option key={String(s)} value={String(s)}>
              {s === 'max' ? 'as fast as possible' : `${s}×`}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={apply} data-testid="feed-apply">
        {choice === SIMULATED ? 'Show simulated market' : 'Start replay'}
      </button>
      {feedError && (
        <span className="error" role="alert" data-testid="feed-error">
          {feedError}
        </span>
      )}
    </div>
  );
}
