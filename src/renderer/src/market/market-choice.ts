import type { FeedStatus, ReplaySpeed, SeriesKey, SeriesSummary } from '../../../shared/market';

/** The Market select's value: the simulated market, a live exchange, or a replay by series key. */
export type MarketChoice = string;
export const SIMULATED_CHOICE: MarketChoice = 'simulated';
export const EXCHANGE_CHOICE: MarketChoice = 'exchange';

export const seriesChoice = (s: SeriesKey): MarketChoice =>
  `${s.exchange}|${s.symbol}|${s.timeframe}`;

export const isReplayChoice = (choice: MarketChoice): boolean =>
  choice !== SIMULATED_CHOICE && choice !== EXCHANGE_CHOICE;

/** The stored series a replay choice names, or undefined for the other choices. */
export function replaySeriesOf(
  choice: MarketChoice,
  series: readonly SeriesSummary[],
): SeriesKey | undefined {
  if (!isReplayChoice(choice)) return undefined;
  const s = series.find((x) => seriesChoice(x) === choice);
  return s ? { exchange: s.exchange, symbol: s.symbol, timeframe: s.timeframe } : undefined;
}

/** True when the feed is a replay of this series that has not ended (it can still be traded). */
export const feedIsLiveReplayOf = (feed: FeedStatus | null, s: SeriesKey): boolean =>
  feed?.kind === 'replay' &&
  feed.state !== 'ended' &&
  seriesChoice(feed.series) === seriesChoice(s);

/** The Market select's choice and the replay speed, shared with the deploy dialog. */
export interface MarketChoiceSlice {
  marketChoice: MarketChoice;
  replaySpeedChoice: ReplaySpeed;
}
