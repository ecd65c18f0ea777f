import type { PromotionPreview } from '../../../shared/variants';

type Parameters = PromotionPreview['before'];

const show = (v: number | string | undefined): string =>
  v === undefined ? '—' : typeof v === 'number' ? String(Number(v.toPrecision(8))) : v;

/** Main's parameters before and after, changed ones marked. */
export function ParameterDiff({
  before,
  after,
}: {
  before: Parameters;
  after: Parameters;
}): React.JSX.Element {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return (
    <table className="data-table param-diff" data-testid="parameter-diff">
      <thead>
        <tr>
          <th scope="col">Parameter</th>
          <th scope="col">Main now</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const changed = before[name] !== after[name];
          return (
            <tr key={name} className={changed ? 'changed' : undefined} data-param={name}>
              <th scope="row">{name}</th>
              <td>{show(before[name])}</td>
              <td>
                {show(after[name])}
                {changed ? ' ←' : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
