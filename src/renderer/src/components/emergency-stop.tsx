import { useEffect, useState } from 'react';
import type { Result } from '../../../shared/api';
import { formatUtc } from '../layout/format';
import { Modal } from '../layout/modal';
import { emergencyStop, emergencyStopScope } from '../variants/variant-actions';

type Scope = { positions: number; strategies: number; variants: number };

const plural = (n: number, one: string, many: string): string =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The confirmation's sentence: exactly what flattening does, with today's numbers. */
export function emergencySentence(scope: Scope): string {
  const close =
    scope.positions === 0
      ? 'No position is open; stop'
      : `Close all ${plural(scope.positions, 'open position', 'open positions')} at the next bar's open and stop`;
  return (
    `${close} all ${plural(scope.strategies, 'strategy', 'strategies')} ` +
    `(${plural(scope.variants, 'running variant', 'running variants')}, main included).`
  );
}

/** Always in the header: flatten everything, after a confirmation. Ctrl+Shift+E opens it. */
export function EmergencyStopButton(): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<Scope | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Result<'emergencyStop'> | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.code === 'KeyE') {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setScope(null);
    setError(null);
    setDone(null);
    void emergencyStopScope().then((o) => {
      if (!live) return;
      if (o.ok) setScope(o.value);
      else setError(`Could not count what is open: ${o.error}`);
    });
    return () => {
      live = false;
    };
  }, [open]);

  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const outcome = await emergencyStop();
    setBusy(false);
    if (outcome.ok) setDone(outcome.value);
    else setError(`Emergency stop failed: ${outcome.error}`);
  };
  const close = (): void => setOpen(false);

  return (
    <>
      <button
        type="button"
        className="emergency-button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+Shift+E"
        title="Flatten everything: close every position and stop every strategy (Ctrl+Shift+E)"
        data-testid="emergency-open"
      >
        ■ Emergency stop
      </button>
      {open && (
        <Modal
          title="Emergency stop — flatten everything?"
          onClose={close}
          testId="emergency-dialog"
          actions={
            done ? (
              <button type="button" onClick={close} data-testid="emergency-close">
                Close
              </button>
            ) : (
              <>
                <button type="button" onClick={close} data-testid="emergency-cancel">
                  Cancel
                </button>
                <button
                  type="button"
                  className="danger"
                  // Counting can fail (host busy); flattening must still be possible.
                  disabled={busy || (scope === null && error === null)}
                  onClick={() => void confirm()}
                  data-testid="emergency-confirm"
                >
                  {busy ? 'Stopping…' : 'Flatten everything'}
                </button>
              </>
            )
          }
        >
          {done ? (
            <p className="ok-text" role="status" data-testid="emergency-done">
              Done at {formatUtc(done.time)} UTC: {plural(done.flattened, 'position', 'positions')}{' '}
              closing at the next bar&apos;s open, {plural(done.stopped, 'variant', 'variants')}{' '}
              stopped.
            </p>
          ) : (
            <p data-testid="emergency-summary">
              {scope
                ? emergencySentence(scope)
                : error
                  ? 'Close every open position at the next bar\u2019s open and stop every strategy.'
                  : 'Counting open positions and strategies…'}
            </p>
          )}
          {!done && (
            <p className="muted">
              Nothing trades again until a strategy is started by hand. This cannot be undone.
            </p>
          )}
          {error && (
            <p className="error" role="alert" data-testid="emergency-error">
              {error}
            </p>
          )}
        </Modal>
      )}
    </>
  );
}
