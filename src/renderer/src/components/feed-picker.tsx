import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ReplaySpeed, SeriesKey, Timeframe } from '../../../shared/market';
import { Modal } from '../layout/modal';
import { EXCHANGE_CHOICE, SIMULATED_CHOICE, seriesChoice } from '../market/market-choice';
import { selectFeed, setReplaySpeed } from '../store/actions';
import { useAppStore } from '../store/app-store';

const SPEEDS: ReplaySpeed[] = [1, 10, 100, 'max'];
const SIMULATED = SIMULATED_CHOICE;
const EXCHANGE = EXCHANGE_CHOICE;
const keyOf = seriesChoice;

/** Market types offered by name; any other ccxt exchange id can be typed in. */
const MARKET_TYPES = [
  { id: 'binance', label: 'Binance spot', example: 'BTC/USDT' },
  { id: 'binanceusdm', label: 'Binance USD-M futures', example: 'BTC/USDT:USDT' },
  { id: 'other', label: 'Other ccxt exchange…', example: 'BTC/USDT' },
] as const;
const LIVE_TIMEFRAMES: Timeframe[] = ['1m', '5m', '15m', '1h', '4h', '1d'];

/** Choose the simulated market, a replay of imported history, or a live exchange feed. */
export function FeedPicker(): React.JSX.Element {
  const series = useAppStore(useShallow((s) => s.series));
  const feed = useAppStore((s) => s.feed);
  const feedError = useAppStore((s) => s.feedError);
  const strategies = useAppStore((s) => s.strategies);
  /** A replay of this series is running and the button would restart it: asked first. */
  const [confirmRestart, setConfirmRestart] = useState<SeriesKey | null>(null);
  // In the store, not local state: the deploy dialog must know which market the trader chose.
  const choice = useAppStore((s) => s.marketChoice);
  const speed = useAppStore((s) => s.replaySpeedChoice);
  const setChoice = (marketChoice: string): void => useAppStore.setState({ marketChoice });
  const setSpeed = (replaySpeedChoice: ReplaySpeed): void =>
    useAppStore.setState({ replaySpeedChoice });
  const [marketType, setMarketType] = useState<string>('binance');
  const [otherExchange, setOtherExchange] = useState('');
  const [symbol, setSymbol] = useState('BTC/USDT');
  const [timeframe, setTimeframe] = useState<Timeframe>('1m');

  // Follow the host: a feed started elsewhere (a backtest's replay, another window) shows here.
  const feedKind = feed?.kind;
  const feedKey = feed ? keyOf(feed.series) : '';
  useEffect(() => {
    const follow = (marketChoice: string): void => useAppStore.setState({ marketChoice });
    if (feedKind === 'simulated') follow(SIMULATED);
    else if (feedKind === 'exchange') follow(EXCHANGE);
    else if (feedKind === 'replay') follow(feedKey);
  }, [feedKind, feedKey]);

  const apply = (): void => {
    if (choice === SIMULATED) {
      void selectFeed({ kind: 'simulated' });
      return;
    }
    if (choice === EXCHANGE) {
      const exchange = marketType === 'other' ? otherExchange.trim().toLowerCase() : marketType;
      void selectFeed({
        kind: 'exchange',
        exchange,
        symbol: symbol.trim(),
        timeframes: timeframe === '1m' ? undefined : [timeframe],
      });
      return;
    }
    const s = series.find((x) => keyOf(x) === choice);
    if (s) {
      const key = { exchange: s.exchange, symbol: s.symbol, timeframe: s.timeframe };
      // Pressed again while this very replay plays: restarting it is rarely what was meant, and
      // strategies on it cannot trade its bars twice. Ask first.
      if (feed?.kind === 'replay' && feed.state !== 'ended' && keyOf(feed.series) === choice) {
        setConfirmRestart(key);
        return;
      }
      void selectFeed({ kind: 'replay', series: key, speed });
    }
  };

  const restartReplay = (): void => {
    if (confirmRestart) void selectFeed({ kind: 'replay', series: confirmRestart, speed });
    setConfirmRestart(null);
  };
  const onRestarted = confirmRestart
    ? strategies.filter((x) => keyOf(x.series) === keyOf(confirmRestart))
    : [];

  const onSpeed = (value: string): void => {
    const next = (value === 'max' ? 'max' : Number(value)) as ReplaySpeed;
    setSpeed(next);
    if (feed?.kind === 'replay' && feed.state === 'live') void setReplaySpeed(next);
  };

  const onMarketType = (id: string): void => {
    setMarketType(id);
    const example = MARKET_TYPES.find((m) => m.id === id)?.example;
    if (example) setSymbol(example);
  };

  const isReplay = choice !== SIMULATED && choice !== EXCHANGE;
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
          <option value={EXCHANGE}>Live exchange…</option>
          {series.map((s) => (
            <option key={keyOf(s)} value={keyOf(s)}>
              Replay {s.exchange} {s.symbol} {s.timeframe} · {s.count.toLocaleString()} bars
            </option>
          ))}
        </select>
      </label>
      {choice === EXCHANGE && (
        <>
          <select
            value={marketType}
            onChange={(e) => onMarketType(e.target.value)}
            data-testid="market-type-select"
            aria-label="Exchange and market type"
          >
            {MARKET_TYPES.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
          {marketType === 'other' && (
            <input
              value={otherExchange}
              onChange={(e) => setOtherExchange(e.target.value)}
              placeholder="ccxt id, e.g. kraken"
              aria-label="ccxt exchange id"
              data-testid="exchange-input"
              size={12}
            />
          )}
          <input
            value={symbol}
            onChange={(e) => setSymbol(e.target.value)}
            aria-label="Symbol"
            data-testid="symbol-input"
            size={14}
          />
          <select
            value={timeframe}
            onChange={(e) => setTimeframe(e.target.value as Timeframe)}
            aria-label="Timeframe"
            data-testid="timeframe-select"
          >
            {LIVE_TIMEFRAMES.map((tf) => (
              <option key={tf} value={tf}>
                {tf}
              </option>
            ))}
          </select>
        </>
      )}
      {isReplay && (
        <label>
          Speed
          <select
            value={String(speed)}
            onChange={(e) => onSpeed(e.target.value)}
            data-testid="speed-select"
          >
            {SPEEDS.map((s) => (
              <option key={String(s)} value={String(s)}>
                {s === 'max' ? 'as fast as possible' : `${s}×`}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" onClick={apply} data-testid="feed-apply">
        {choice === SIMULATED
          ? 'Show simulated market'
          : choice === EXCHANGE
            ? 'Connect'
            : 'Start replay'}
      </button>
      {confirmRestart && (
        <Modal
          title="Restart the replay?"
          onClose={() => setConfirmRestart(null)}
          testId="replay-restart-dialog"
          actions={
            <>
              <button
                type="button"
                className="primary"
                onClick={() => setConfirmRestart(null)}
                data-testid="replay-restart-cancel"
              >
                Keep it running
              </button>
              <button type="button" onClick={restartReplay} data-testid="replay-restart-confirm">
                Restart from the first bar
              </button>
            </>
          }
        >
          <p data-testid="replay-restart-summary">
            The replay of {confirmRestart.exchange} {confirmRestart.symbol}{' '}
            {confirmRestart.timeframe} is {feed?.state === 'paused' ? 'paused' : 'playing'}
            {feed?.progress != null ? ` (${(feed.progress * 100).toFixed(1)}% played)` : ''}.
            Restarting plays it again from its first bar.
            {onRestarted.length > 0
              ? ` ${onRestarted.map((x) => x.name + ' (' + x.strategyId + ')').join(', ')} already traded those bars: ${onRestarted.length === 1 ? 'it takes' : 'they take'} no bar until the replay passes the last one ${onRestarted.length === 1 ? 'it' : 'they'} traded, and ${onRestarted.length === 1 ? 'its' : 'their'} rows say so meanwhile.`
              : ''}
          </p>
          <p className="muted">
            The speed selector changes the speed of the running replay at once.
          </p>
        </Modal>
      )}
      {feedError && (
        <span className="error" role="alert" data-testid="feed-error">
          {feedError}
        </span>
      )}
    </div>
  );
}
