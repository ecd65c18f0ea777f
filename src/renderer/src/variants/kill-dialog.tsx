import { useEffect, useState } from 'react';
import type { PositionRow, VariantRow } from '../../../shared/variants';
import { formatPrice, formatQuantity } from '../layout/format';
import { Modal } from '../layout/modal';
import { killVariant, positionOf } from './variant-actions';
import { variantLabel } from './variant-label';

/** What killing does, in one sentence with the position it closes. */
export function killSentence(row: VariantRow, position: PositionRow | null): string {
  const name = `variant ${variantLabel(row)}`;
  if (position === null) return `Stop ${name} now. It holds no open position, so nothing is sold.`;
  return (
    `Stop ${name} now and close its ${position.side} position ` +
    `(qty ${formatQuantity(position.quantity)}, entered at ${formatPrice(position.entryPrice)}) ` +
    `at the next bar's open.`
  );
}

/** Confirmation for a kill: states the position it closes, then stops the variant. */
export function KillDialog({
  row,
  onClose,
}: {
  row: VariantRow;
  onClose: () => void;
}): React.JSX.Element {
  const [position, setPosition] = useState<PositionRow | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void positionOf(row.variantId).then((o) => {
      if (!live) return;
      if (o.ok) setPosition(o.value);
      else setError(`Could not read its position: ${o.error}`);
    });
    return () => {
      live = false;
    };
  }, [row.variantId]);

  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const outcome = await killVariant(row.variantId);
    setBusy(false);
    if (outcome.ok) onClose();
    else setError(`Not killed: ${outcome.error}`);
  };

  return (
    <Modal
      title={`Kill ${variantLabel(row)}?`}
      onClose={onClose}
      testId="kill-dialog"
      actions={
        <>
          <button type="button" onClick={onClose} data-testid="kill-cancel">
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy || position === undefined}
            onClick={() => void confirm()}
            data-testid="kill-confirm"
          >
            {busy ? 'Killing…' : 'Kill variant'}
          </button>
        </>
      }
    >
      <p data-testid="kill-summary">
        {position === undefined ? 'Reading its position…' : killSentence(row, position)}
      </p>
      {row.role === 'main' && (
        <p className="warn-text">
          This is main: the strategy stops trading at full size until it is restarted.
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="kill-error">
          {error}
        </p>
      )}
    </Modal>
  );
}
