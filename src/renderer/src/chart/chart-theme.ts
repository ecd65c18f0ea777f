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

/** The most curves the comparison overlays at once: each keeps a colour of its own. */
export const MAX_COMPARED = 20;

const hex2 = (v: number): string =>
  Math.round(Math.min(255, Math.max(0, v * 255)))
    .toString(16)
    .padStart(2, '0');

/** HSL (hue in degrees, saturation and lightness 0–1) as `#rrggbb`. */
export function hslToHex(hue: number, saturation: number, lightness: number): string {
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const h = (((hue % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const [r, g, b] =
    h < 1
      ? [c, x, 0]
      : h < 2
        ? [x, c, 0]
        : h < 3
          ? [0, c, x]
          : h < 4
            ? [0, x, c]
            : h < 5
              ? [x, 0, c]
              : [c, 0, x];
  const m = lightness - c / 2;
  return `#${hex2(r + m)}${hex2(g + m)}${hex2(b + m)}`;
}

/**
 * Colours for `count` compared curves, all different: the equity blue and the overlay palette
 * while they suffice, else hues spaced evenly round the wheel (neighbours alternate lightness,
 * so even 20 stay apart at a glance and for a pixel test).
 */
export function comparisonColors(count: number): string[] {
  const fixed = [EQUITY_COLOR, ...OVERLAY_PALETTE];
  if (count <= fixed.length) return fixed.slice(0, count);
  return Array.from({ length: count }, (_, i) =>
    hslToHex(215 + (i * 360) / count, 0.85, i % 2 === 0 ? 0.6 : 0.72),
  );
}

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
