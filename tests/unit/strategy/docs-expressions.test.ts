import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateStrategyConfig } from '../../../src/core/strategy';
import { PROJECT_ROOT } from '../../support/shared-data';
import { sampleConfig } from './support/sample-strategy';

interface Example {
  readonly line: number;
  readonly code: string;
  /** The message it must fail with, or undefined when it must compile. */
  readonly error: string | undefined;
}

/**
 * Every ```expr block of docs/expressions.md. A ```expr error block must be followed by a line
 * `→ error: MESSAGE` (a fence's info string can't hold the backticks messages contain).
 */
function examples(): Example[] {
  const text = readFileSync(resolve(PROJECT_ROOT, 'docs/expressions.md'), 'utf8');
  const out: Example[] = [];
  const re = /^```expr( error)?\n([\s\S]*?)^```\n(?:\n→ error: (.*)\n)?/gm;
  for (const m of text.matchAll(re)) {
    const line = text.slice(0, m.index).split('\n').length;
    const code = (m[2] ?? '').replace(/\n$/, '');
    if (m[1] !== undefined && m[3] === undefined) {
      throw new Error(
        `docs/expressions.md:${line}: an expr error block needs a "→ error: …" line after it`,
      );
    }
    out.push({ line, code, error: m[3] });
  }
  return out;
}

describe('docs/expressions.md examples', () => {
  const all = examples();

  it('has examples of both kinds', () => {
    expect(all.filter((e) => e.error === undefined).length).toBeGreaterThanOrEqual(10);
    expect(all.filter((e) => e.error !== undefined).length).toBeGreaterThanOrEqual(10);
  });

  it.each(all.map((e) => [`line ${e.line}: ${e.code.slice(0, 60)}`, e] as const))(
    '%s',
    (_name, example) => {
      const result = validateStrategyConfig(sampleConfig({ entryLong: example.code }));
      if (example.error === undefined) {
        expect(result.ok ? [] : result.issues.map((i) => i.message)).toEqual([]);
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.issues[0]?.path).toBe('rules.entryLong');
          expect(result.issues[0]?.message).toContain(example.error);
        }
      }
    },
  );
});
