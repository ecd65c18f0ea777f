import {
  ColorType,
  createChart,
  CrosshairMode,
  type DeepPartial,
  type IChartApi,
  type TimeChartOptions,
} from 'lightweight-charts';

/** Chart colours, chosen apart from each other so a glance (or a pixel test) tells them apart. */
export const CHART_BACKGROUND = '#0f1216';
export const CANDLE_UP = '#26a69a';
export const CANDLE_DOWN = '#ef5350';
/** Trade entry/exit arrows: a buy blue, a sell amber. */
export const BUY_COLOR = '#4f8cff';
export const SELL_COLOR = '#ffb300';
/** Signal circles: the bar a rule fired on (the fill comes at the next bar's open). */
export const SIGNAL_COLORS = {
  entryLong: '#00e676',
  entryShort: '#ff4081',
  exit: '#e0e0e0',
  inactive: '#8d8d8d',
} as const;
/** Indicator lines, in the order a strategy declares them. */
export const OVERLAY_PALETTE = [
  '#e040fb',
  '#40c4ff',
  '#eeff41',
  '#ff6e40',
  '#b388ff',
  '#69f0ae',
  '#ffab91',
  '#84ffff',
] as const;
/** Position levels drawn as price lines. */
export const LEVEL_COLORS = {
  entry: '#90a4ae',
  stop: '#ff1744',
  target: '#00c853',
  liquidation: '#d500f9',
} as const;
export const EQUITY_COLOR = '#4c9aff';
export const DRAWDOWN_COLOR = '#ff5252';

/** A chart in the workstation's dark theme, sized by its container. */
export function createDarkChart(
  container: HTMLElement,
  options: DeepPartial<TimeChartOptions> = {},
): IChartApi {
  return createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: CHART_BACKGROUND },
      textColor: '#c7ccd4',
      attributionLogo: false,
      panes: { separatorColor: '#2a313b', enableResize: true },
    },
    grid: { vertLines: { color: '#1b2027' }, horzLines: { color: '#1b2027' } },
    rightPriceScale: { borderColor: '#2a313b' },
    timeScale: { borderColor: '#2a313b', timeVisible: true, secondsVisible: false },
    crosshair: { mode: CrosshairMode.Normal },
    ...options,
  });
}
