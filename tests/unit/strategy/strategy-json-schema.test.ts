import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strategyJsonSchemaText } from '../../../src/core/strategy';
import { PROJECT_ROOT } from '../../support/shared-data';

describe('resources/schemas/strategy.schema.json', () => {
  it('is up to date with the zod schema (regenerate: npx tsx scripts/export-schemas.ts)', () => {
    const committed = readFileSync(
      resolve(PROJECT_ROOT, 'resources/schemas/strategy.schema.json'),
      'utf8',
    );
    expect(committed).toBe(strategyJsonSchemaText());
  });

  it('describes the sections, the catalogue types and $parameter references', () => {
    const schema = JSON.parse(strategyJsonSchemaText()) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.required).toEqual(['meta', 'rules']);
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'meta',
      'indicators',
      'parameters',
      'rules',
      'risk',
      'models',
    ]);
    const text = strategyJsonSchemaText();
    expect(text).toContain('"volumeZ"');
    expect(text).toContain('^\\\\$[A-Za-z_][A-Za-z0-9_]*$');
  });
});
