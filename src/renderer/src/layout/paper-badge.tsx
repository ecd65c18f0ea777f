/** Marks paper results: simulated fills on a paper account, no real orders. */
export function PaperBadge({ testId }: { testId?: string }): React.JSX.Element {
  return (
    <span
      className="paper-badge"
      title="Paper trading: simulated fills on a paper account; no real orders are placed"
      data-testid={testId}
    >
      PAPER
    </span>
  );
}
