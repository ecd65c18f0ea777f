import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strategyJsonSchemaText } from '../src/core/strategy';

/**
 * `npx tsx scripts/export-schemas.ts`: regenerates the JSON Schemas under resources/schemas from
 * the zod schemas. A unit test fails when the committed files are out of date.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = resolve(root, 'resources/schemas/strategy.schema.json');
writeFileSync(target, strategyJsonSchemaText());
console.log(`wrote ${target}`);
