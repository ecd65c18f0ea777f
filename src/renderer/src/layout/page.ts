/** The pages of the workstation, in navigation order; Alt+1…4 reach them. */
export const PAGES = [
  { id: 'dashboard', label: 'Dashboard', shortcut: '1' },
  { id: 'backtest', label: 'Backtest', shortcut: '2' },
  { id: 'trades', label: 'Trades', shortcut: '3' },
  { id: 'alerts', label: 'Alerts', shortcut: '4' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];
