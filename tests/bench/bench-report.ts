import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../support/shared-data';

/** One measured figure; `baseline` names the row it is compared against, measured in the same run. */
export interface BenchRow {
  label: string;
  value: number;
  unit: string;
  baseline?: string;
  /** Figure / baseline figure (computed by the runner when `baseline` is set). */
  ratio?: number;
  target?: string;
}

export interface BenchReport {
  name: string;
  title: string;
  rows: BenchRow[];
  notes?: string[];
}

/** A benchmark module exports `run()`; the runner writes JSON and Markdown under tests/bench/results. */
export type BenchModule = { run: () => Promise<BenchReport> | BenchReport };

export function withRatios(report: BenchReport): BenchReport {
  const byLabel = new Map(report.rows.map((r) => [r.label, r]));
  return {
    ...report,
    rows: report.rows.map((r) => {
      const base = r.baseline ? byLabel.get(r.baseline) : undefined;
      return base && base.value > 0 ? { ...r, ratio: r.value / base.value } : r;
    }),
  };
}

export function formatReportMarkdown(report: BenchReport, environment: string): string {
  const lines = [
    `# ${report.title}`,
    '',
    environment,
    '',
    '| measure | value | unit | × baseline | target |',
    '|---|---:|---|---:|---|',
  ];
  for (const r of report.rows) {
    const ratio = r.ratio !== undefined ? `${r.ratio.toFixed(1)}× ${r.baseline}` : '';
    lines.push(
      `| ${r.label} | ${formatNumber(r.value)} | ${r.unit} | ${ratio} | ${r.target ?? ''} |`,
    );
  }
  if (report.notes?.length) lines.push('', ...report.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}

export function writeReport(report: BenchReport, environment: string): void {
  const dir = resolve(PROJECT_ROOT, 'tests/bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    resolve(dir, `${report.name}.json`),
    JSON.stringify({ environment, ...report }, null, 2) + '\n',
  );
  writeFileSync(resolve(dir, `${report.name}.md`), formatReportMarkdown(report, environment));
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return v.toPrecision(4);
}
