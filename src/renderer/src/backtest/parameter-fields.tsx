import type { StrategyTemplateSummary } from '../../../shared/backtest';
import { setParameter } from './backtest-actions';
import type { ParameterValue } from './backtest-store';

type Parameter = StrategyTemplateSummary['parameters'][number];

/** One input per parameter of the template: a number within its range, or one of its choices. */
export function ParameterFields({
  parameters,
  values,
  disabled,
}: {
  parameters: readonly Parameter[];
  values: Readonly<Record<string, ParameterValue>>;
  disabled: boolean;
}): React.JSX.Element | null {
  if (parameters.length === 0) return null;
  return (
    <fieldset className="bt-params" data-testid="backtest-parameters" disabled={disabled}>
      <legend>parameters</legend>
      {parameters.map((p) => {
        const value = values[p.name] ?? p.default;
        if (p.type === 'choice') {
          const choices = p.choices ?? [];
          return (
            <label key={p.name}>
              {p.name}
              <select
                data-testid={`param-${p.name}`}
                value={String(choices.findIndex((c) => c === value))}
                onChange={(e) => {
                  const choice = choices[Number(e.target.value)];
                  if (choice !== undefined) setParameter(p.name, choice);
                }}
              >
                {choices.map((c, i) => (
                  <option key={String(c)} value={String(i)}>
                    {String(c)}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        return (
          <label key={p.name} title={`${p.min ?? ''} to ${p.max ?? ''}`}>
            {p.name}
            <input
              type="number"
              data-testid={`param-${p.name}`}
              value={String(value)}
              min={p.min}
              max={p.max}
              step={p.type === 'int' ? 1 : 'any'}
              onChange={(e) => {
                const n = e.target.valueAsNumber;
                if (Number.isFinite(n)) setParameter(p.name, n);
              }}
            />
          </label>
        );
      })}
    </fieldset>
  );
}
