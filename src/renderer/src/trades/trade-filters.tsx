import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { naturalCompare } from '../layout/natural-order';
import { useAppStore } from '../store/app-store';
import {
  clearTradeFilter,
  flushTradeFilter,
  setTradeFilter,
  typeTradeFilter,
} from './trade-actions';

const DAY_MS = 86_400_000;
const dayOf = (ms: number | undefined): string =>
  ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10);
/** A UTC day as its first or last millisecond; empty clears the bound. */
const dayStart = (day: string): number | undefined =>
  day === '' ? undefined : Date.parse(`${day}T00:00:00Z`);
const dayEnd = (day: string): number | undefined =>
  day === '' ? undefined : Date.parse(`${day}T00:00:00Z`) + DAY_MS - 1;

/** The trades table's filter; every change reloads the table (typed text once typing pauses). */
export function TradeFilters(): React.JSX.Element {
  const filter = useAppStore((s) => s.tradeFilter);
  const strategies = useAppStore((s) => s.strategies);
  const variants = useAppStore((s) => s.variants);
  const seenReasons = useAppStore(
    useShallow((s) => [...new Set(s.trades.map((t) => t.exitReason))]),
  );
  const [reason, setReason] = useState(filter.exitReason ?? '');

  const variantIds = useMemo(
    () =>
      Object.values(variants)
        .filter((v) => filter.strategyId === undefined || v.strategyId === filter.strategyId)
        .map((v) => v.variantId)
        .sort(naturalCompare),
    [variants, filter.strategyId],
  );
  // Applied as typed (after a short pause), so the table narrows without Enter.
  const onReason = (text: string): void => {
    setReason(text);
    typeTradeFilter({ exitReason: text.trim() || undefined });
  };

  return (
    <div className="filter-bar" role="group" aria-label="Trade filter" data-testid="trade-filters">
      <label>
        Strategy
        <select
          value={filter.strategyId ?? ''}
          onChange={(e) =>
            setTradeFilter({ strategyId: e.target.value || undefined, variantId: undefined })
          }
          data-testid="filter-strategy"
        >
          <option value="">all</option>
          {strategies.map((s) => (
            <option key={s.strategyId} value={s.strategyId}>
              {s.name} ({s.strategyId})
            </option>
          ))}
        </select>
      </label>
      <label>
        Variant
        <select
          value={filter.variantId ?? ''}
          onChange={(e) => setTradeFilter({ variantId: e.target.value || undefined })}
          data-testid="filter-variant"
        >
          <option value="">all</option>
          {variantIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
      <label>
        Role
        <select
          value={filter.role ?? ''}
          onChange={(e) =>
            setTradeFilter({
              role: e.target.value === '' ? undefined : (e.target.value as 'main' | 'variant'),
            })
          }
          data-testid="filter-role"
        >
          <option value="">main and variants</option>
          <option value="main">main</option>
          <option value="variant">variants</option>
        </select>
      </label>
      <label>
        Side
        <select
          value={filter.side ?? ''}
          onChange={(e) =>
            setTradeFilter({
              side: e.target.value === '' ? undefined : (e.target.value as 'long' | 'short'),
            })
          }
          data-testid="filter-side"
        >
          <option value="">both</option>
          <option value="long">long</option>
          <option value="short">short</option>
        </select>
      </label>
      <label>
        Closed from
        <input
          type="date"
          value={dayOf(filter.from)}
          onChange={(e) => setTradeFilter({ from: dayStart(e.target.value) })}
          data-testid="filter-from"
        />
      </label>
      <label>
        to
        <input
          type="date"
          value={dayOf(filter.to)}
          onChange={(e) => setTradeFilter({ to: dayEnd(e.target.value) })}
          data-testid="filter-to"
        />
      </label>
      <label>
        Exit reason
        <input
          list="exit-reasons"
          value={reason}
          size={12}
          placeholder="any"
          onChange={(e) => onReason(e.target.value)}
          onBlur={flushTradeFilter}
          onKeyDown={(e) => {
            if (e.key === 'Enter') flushTradeFilter();
          }}
          data-testid="filter-exit-reason"
        />
        <datalist id="exit-reasons">
          {seenReasons.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
      </label>
      <button
        type="button"
        onClick={() => {
          setReason('');
          clearTradeFilter();
        }}
        disabled={Object.keys(filter).length === 0}
        data-testid="filter-clear"
      >
        Clear filter
      </button>
    </div>
  );
}
