import { useEffect, useState } from 'react';
import type { PromotionAuditRow, PromotionPreview, VariantRow } from '../../../shared/variants';
import { formatUtc } from '../layout/format';
import { Modal } from '../layout/modal';
import { gateChecks, notCandidateReasons } from './candidate-badge';
import { ParameterDiff } from './parameter-diff';
import { previewPromotion, promoteVariant } from './variant-actions';
import { variantLabel } from './variant-label';

/**
 * The host's summary without its verdict: the verdict quotes the gate's Sharpe even on under 2
 * closed trades, and the checklist below gives it in the same words as the table.
 */
const whatItDoes = (summary: string): string => summary.split(' This variant is ')[0] ?? summary;

/**
 * Confirmation for a promotion: the host's own summary, the gate's numbers and main's parameters
 * before and after. A non-candidate needs an extra, explicit acknowledgement before it is sent.
 */
export function PromoteDialog({
  row,
  mainTrades,
  onClose,
}: {
  row: VariantRow;
  /** Main's closed trades: under 2, its Sharpe is shown as — like the variant's. */
  mainTrades?: number;
  onClose: () => void;
}): React.JSX.Element {
  const [preview, setPreview] = useState<PromotionPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<PromotionAuditRow | null>(null);

  useEffect(() => {
    let live = true;
    void previewPromotion(row.variantId).then((o) => {
      if (!live) return;
      if (o.ok) setPreview(o.value);
      else setError(`Could not prepare the promotion: ${o.error}`);
    });
    return () => {
      live = false;
    };
  }, [row.variantId]);

  const isCandidate = preview?.decision.isCandidate ?? false;
  const canConfirm = preview !== null && !busy && done === null && (isCandidate || accepted);

  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const outcome = await promoteVariant(row.variantId, !isCandidate && accepted);
    setBusy(false);
    if (outcome.ok) setDone(outcome.value);
    else setError(`Not promoted: ${outcome.error}`);
  };

  return (
    <Modal
      title={`Promote ${variantLabel(row)} to main?`}
      onClose={onClose}
      testId="promote-dialog"
      wide
      actions={
        done ? (
          <button type="button" onClick={onClose} data-testid="promote-close">
            Close
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose} data-testid="promote-cancel">
              Cancel
            </button>
            <button
              type="button"
              className={isCandidate ? 'primary' : 'danger'}
              disabled={!canConfirm}
              onClick={() => void confirm()}
              data-testid="promote-confirm"
            >
              {busy ? 'Promoting…' : isCandidate ? 'Promote' : 'Promote anyway'}
            </button>
          </>
        )
      }
    >
      {preview === null && !error && <p>Asking the host what this promotion would do…</p>}
      {preview && (
        <>
          <p data-testid="promote-summary">{whatItDoes(preview.summary)}</p>
          {!isCandidate && (
            <div className="warn-box" data-testid="promote-not-candidate">
              <strong>This variant is not a promotion candidate.</strong>
              <ul>
                {notCandidateReasons(preview.decision, mainTrades).map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </div>
          )}
          <ul className="gate-checks" data-testid="promote-gate">
            {gateChecks(preview.decision, mainTrades).map((c) => (
              <li key={c.id} className={c.pass ? 'pass' : 'fail'}>
                {c.pass ? '✓' : '✗'} {c.text}
              </li>
            ))}
          </ul>
          <ParameterDiff before={preview.before} after={preview.after} />
          {!isCandidate && !done && (
            <label className="accept-line">
              <input
                type="checkbox"
                checked={accepted}
                onChange={(e) => setAccepted(e.target.checked)}
                data-testid="promote-accept-non-candidate"
              />
              I understand it is not a candidate and want main to take its parameters anyway.
            </label>
          )}
        </>
      )}
      {done && (
        <p className="ok-text" role="status" data-testid="promote-done">
          Promoted at {formatUtc(done.time)} UTC: main is now version {done.versionAfter}. The
          promotion audit on the Alerts page has the entry.
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="promote-error">
          {error}
        </p>
      )}
    </Modal>
  );
}
