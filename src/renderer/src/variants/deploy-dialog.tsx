import { useEffect, useMemo, useState } from 'react';
import type { ApiIssue } from '../../../shared/api-errors';
import type { StrategyTemplateSummary } from '../../../shared/backtest';
import { DeployStrategyParamsSchema, type Sampler } from '../../../shared/variants';
import { issueInWords } from '../layout/form-issues';
import { Modal } from '../layout/modal';
import { feedIsLiveReplayOf, replaySeriesOf } from '../market/market-choice';
import { startReplayOf } from '../store/actions';
import { useAppStore } from '../store/app-store';
import { deployStrategy, loadTemplates } from './variant-actions';

const SAMPLERS: Array<{ id: Sampler; label: string }> = [
  { id: 'latin-hypercube', label: 'Latin hypercube (spread evenly)' },
  { id: 'random', label: 'Random' },
  { id: 'grid', label: 'Grid' },
];

/** Field names as a trader reads them, by the contract's path. */
const FIELD_LABELS: Record<string, string> = {
  templateId: 'Template',
  variants: 'Variants',
  sampler: 'Sampler',
  seed: 'Seed',
  'safety.maxLossPct': 'Stop at loss',
  'safety.maxDrawdownPct': 'Stop at drawdown',
  initialCash: 'Paper account',
  mode: 'Mode',
};
const fieldLabel = (path: string): string =>
  FIELD_LABELS[path] ??
  (path.startsWith('parameters.') ? `Parameter ${path.slice('parameters.'.length)}` : path);

interface Form {
  templateId: string;
  variants: string;
  sampler: Sampler;
  seed: string;
  maxLossPct: string;
  maxDrawdownPct: string;
  initialCash: string;
  /** Main's values; empty keeps the template's default. */
  parameters: Record<string, string>;
}

const initialForm = (templateId: string): Form => ({
  templateId,
  variants: '5',
  sampler: 'latin-hypercube',
  seed: '1',
  maxLossPct: '5',
  maxDrawdownPct: '10',
  initialCash: '10000',
  parameters: {},
});

/** Empty text → undefined (the default); otherwise a number, NaN when it is not one. */
const numberOrDefault = (text: string): number | undefined =>
  text.trim() === '' ? undefined : Number(text.trim());

function toParams(form: Form, template: StrategyTemplateSummary | undefined): unknown {
  const parameters: Record<string, number | string> = {};
  for (const p of template?.parameters ?? []) {
    const raw = form.parameters[p.name]?.trim() ?? '';
    if (raw === '') continue;
    parameters[p.name] = p.type === 'choice' && typeof p.default === 'string' ? raw : Number(raw);
  }
  return {
    templateId: form.templateId,
    parameters,
    variants: numberOrDefault(form.variants),
    sampler: form.sampler,
    seed: numberOrDefault(form.seed),
    safety: {
      maxLossPct: numberOrDefault(form.maxLossPct),
      maxDrawdownPct: numberOrDefault(form.maxDrawdownPct),
    },
    initialCash: numberOrDefault(form.initialCash),
    mode: 'paper',
  };
}

const feedKindWords = (kind: string): string =>
  kind === 'simulated' ? 'simulated' : kind === 'replay' ? 'replay' : 'live exchange';

/** Deploys a template as main plus N variants on the current feed; errors stay in the dialog. */
export function DeployDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const templates = useAppStore((s) => s.templates);
  const templatesError = useAppStore((s) => s.templatesError);
  const feed = useAppStore((s) => s.feed);
  const marketChoice = useAppStore((s) => s.marketChoice);
  const replaySpeed = useAppStore((s) => s.replaySpeedChoice);
  const allSeries = useAppStore((s) => s.series);
  // The replay chosen in Market but not running: deploying now would trade the other feed.
  const chosenReplay = replaySeriesOf(marketChoice, allSeries);
  const pendingReplay =
    chosenReplay && !feedIsLiveReplayOf(feed, chosenReplay) ? chosenReplay : null;
  const [form, setForm] = useState<Form>(() => initialForm(templates[0]?.id ?? ''));
  const [issues, setIssues] = useState<readonly ApiIssue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (templates.length === 0) void loadTemplates();
  }, [templates.length]);
  useEffect(() => {
    if (form.templateId === '' && templates[0])
      setForm((f) => ({ ...f, templateId: templates[0]!.id }));
  }, [templates, form.templateId]);

  const template = useMemo(
    () => templates.find((t) => t.id === form.templateId),
    [templates, form.templateId],
  );
  const set = (patch: Partial<Form>): void => setForm((f) => ({ ...f, ...patch }));
  const issueFor = (path: string): string | undefined =>
    issues.find((i) => i.path === path)?.message;

  const submit = async (startReplay: boolean): Promise<void> => {
    setError(null);
    setIssues([]);
    const parsed = DeployStrategyParamsSchema.safeParse(toParams(form, template));
    if (!parsed.success) {
      const found = parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: issueInWords(i),
      }));
      setIssues(found);
      setError(`Check ${found.map((i) => `${fieldLabel(i.path)} (${i.message})`).join(', ')}.`);
      return;
    }
    setBusy(true);
    if (startReplay && pendingReplay) {
      const failed = await startReplayOf(pendingReplay, replaySpeed);
      if (failed !== null) {
        setBusy(false);
        setError(`Not deployed: the replay did not start (${failed}).`);
        return;
      }
    }
    const outcome = await deployStrategy(parsed.data);
    setBusy(false);
    if (outcome.ok) onClose();
    else {
      setIssues(outcome.issues);
      setError(`Not deployed: ${outcome.error}`);
    }
  };

  const field = (
    path: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    hint?: string,
  ): React.JSX.Element => (
    <label className="form-field">
      <span>{label}</span>
      <input
        value={value}
        inputMode="decimal"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={issueFor(path) !== undefined}
        data-testid={`deploy-${path.replace('.', '-')}`}
      />
      {issueFor(path) ? (
        <small className="error">{issueFor(path)}</small>
      ) : hint ? (
        <small className="muted">{hint}</small>
      ) : null}
    </label>
  );

  return (
    <Modal
      title="Deploy a strategy"
      onClose={onClose}
      testId="deploy-dialog"
      wide
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {pendingReplay && feed && (
            <button
              type="button"
              disabled={busy || form.templateId === ''}
              onClick={() => void submit(false)}
              data-testid="deploy-submit-current"
            >
              Deploy on {feed.series.symbol} {feed.series.timeframe} instead
            </button>
          )}
          <button
            type="button"
            className="primary"
            disabled={busy || form.templateId === ''}
            onClick={() => void submit(true)}
            data-testid="deploy-submit"
          >
            {busy
              ? 'Deploying…'
              : pendingReplay
                ? `Start the replay of ${pendingReplay.symbol} ${pendingReplay.timeframe} and deploy on it`
                : `Deploy main + ${form.variants || '5'} variants`}
          </button>
        </>
      }
    >
      <form
        className="deploy-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(true);
        }}
      >
        <div className="deploy-market" data-testid="deploy-market">
          <span>Runs on</span>
          <strong data-testid="deploy-market-series">
            {pendingReplay
              ? `${pendingReplay.exchange} ${pendingReplay.symbol} ${pendingReplay.timeframe} (replay)`
              : feed
                ? `${feed.series.exchange} ${feed.series.symbol} ${feed.series.timeframe} (${feedKindWords(feed.kind)})`
                : 'the current feed'}
          </strong>
          <span className="muted">in paper mode</span>
        </div>
        {pendingReplay && (
          <p className="warning" role="status" data-testid="deploy-replay-pending">
            The replay of {pendingReplay.symbol} {pendingReplay.timeframe} you chose in Market has
            not started
            {feed
              ? `: the feed running now is ${feed.series.exchange} ${feed.series.symbol} ${feed.series.timeframe}`
              : ''}
            . Deploying starts it first, then the strategy trades its bars.
          </p>
        )}
        <p className="muted">Variants warm up from stored history, then trade.</p>
        {templatesError && (
          <p className="error" role="alert">
            Templates could not be read: {templatesError}
          </p>
        )}
        <label className="form-field wide">
          <span>Template</span>
          <select
            value={form.templateId}
            onChange={(e) => set({ templateId: e.target.value, parameters: {} })}
            data-testid="deploy-template"
          >
            {templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.timeframe})
              </option>
            ))}
          </select>
          {template?.description && <small className="muted">{template.description}</small>}
        </label>
        <div className="form-grid">
          {field('variants', 'Variants (N)', form.variants, (v) => set({ variants: v }), '0–1,000')}
          <label className="form-field">
            <span>Sampler</span>
            <select
              value={form.sampler}
              onChange={(e) => set({ sampler: e.target.value as Sampler })}
              data-testid="deploy-sampler"
            >
              {SAMPLERS.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          {field('seed', 'Seed', form.seed, (v) => set({ seed: v }), 'same seed, same variants')}
          {field(
            'initialCash',
            'Paper account (USDT)',
            form.initialCash,
            (v) => set({ initialCash: v }),
            'per variant and for main',
          )}
          {field(
            'safety.maxLossPct',
            'Stop at loss (%)',
            form.maxLossPct,
            (v) => set({ maxLossPct: v }),
            'each account (main and every variant) stops itself, closing its position',
          )}
          {field('safety.maxDrawdownPct', 'Stop at drawdown (%)', form.maxDrawdownPct, (v) =>
            set({ maxDrawdownPct: v }),
          )}
          <label className="form-field">
            <span>Mode</span>
            <select value="paper" onChange={() => undefined} data-testid="deploy-mode">
              <option value="paper">Paper</option>
              <option value="real" disabled>
                Real (not available yet)
              </option>
            </select>
          </label>
        </div>
        {template && template.parameters.length > 0 && (
          <fieldset className="param-fields">
            <legend>Main&apos;s parameters (empty keeps the default)</legend>
            <div className="form-grid">
              {template.parameters.map((p) => {
                const path = `parameters.${p.name}`;
                const value = form.parameters[p.name] ?? '';
                const onChange = (v: string): void =>
                  set({ parameters: { ...form.parameters, [p.name]: v } });
                return p.type === 'choice' ? (
                  <label key={p.name} className="form-field">
                    <span>{p.name}</span>
                    <select value={value} onChange={(e) => onChange(e.target.value)}>
                      <option value="">default ({String(p.default)})</option>
                      {(p.choices ?? []).map((c) => (
                        <option key={String(c)} value={String(c)}>
                          {String(c)}
                        </option>
                      ))}
                    </select>
                    {issueFor(path) && <small className="error">{issueFor(path)}</small>}
                  </label>
                ) : (
                  <label key={p.name} className="form-field">
                    <span>{p.name}</span>
                    <input
                      value={value}
                      placeholder={String(p.default)}
                      inputMode="decimal"
                      onChange={(e) => onChange(e.target.value)}
                      aria-invalid={issueFor(path) !== undefined}
                    />
                    <small className={issueFor(path) ? 'error' : 'muted'}>
                      {issueFor(path) ??
                        (p.min !== undefined && p.max !== undefined ? `${p.min}–${p.max}` : '')}
                    </small>
                  </label>
                );
              })}
            </div>
          </fieldset>
        )}
        <button type="submit" hidden />
      </form>
      {error && (
        <p className="error" role="alert" data-testid="deploy-error">
          {error}
        </p>
      )}
    </Modal>
  );
}
