import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { importFiles } from '../store/actions';
import { useAppStore } from '../store/app-store';

/** Import candle files (CSV, gzip; Binance, Kraken, Coinbase … formats) into the local store. */
export function ImportPanel(): React.JSX.Element {
  const inputRef = useRef<HTMLInputElement>(null);
  const importing = useAppStore((s) => s.importing);
  const importError = useAppStore((s) => s.importError);
  const last = useAppStore(useShallow((s) => s.imports[0]));
  const report =
    last === undefined
      ? null
      : `${last.rows.toLocaleString()} bars of ${last.series.symbol} ${last.series.timeframe}, ` +
        `${last.inserted.toLocaleString()} new` +
        (last.alreadyStored > 0 ? `, ${last.alreadyStored.toLocaleString()} already stored` : '') +
        ` · ${last.fileName}`;

  return (
    <div className="import-panel">
      <button
        type="button"
        onClick={() => inputRef.current?.click()}
        disabled={importing !== null}
        data-testid="import-button"
      >
        {importing ? `Importing ${importing}…` : 'Import history…'}
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        accept=".csv,.gz,.txt"
        hidden
        data-testid="import-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) void importFiles(files);
        }}
      />
      {importError && (
        <span
          className="error header-note"
          role="alert"
          title={importError}
          data-testid="import-error"
        >
          {importError}
        </span>
      )}
      {!importError && report !== null && (
        // One line in the header: what was imported first, the file last; cut with an ellipsis
        // when the window is narrow, the whole text in the tooltip.
        <span className="notice header-note" title={report} data-testid="import-report">
          {report}
        </span>
      )}
    </div>
  );
}
