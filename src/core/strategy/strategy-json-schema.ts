import { z } from 'zod';
import { StrategyConfigSchema } from './strategy-config-schema';

/**
 * The strategy config as JSON Schema (draft 2020-12), describing what may be *written*:
 * fields with defaults are optional. Editors use it for completion; `scripts/export-schemas.ts`
 * writes it to resources/schemas/strategy.schema.json. Semantic checks (catalogue ranges,
 * declared parameters, rule expressions) live in `validateStrategyConfig` only.
 */
export function buildStrategyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(StrategyConfigSchema, { io: 'input', unrepresentable: 'any' });
  return { ...schema, $id: 'https://parallax.local/schemas/strategy.schema.json' };
}

/** The exact text of resources/schemas/strategy.schema.json. */
export function strategyJsonSchemaText(): string {
  return `${JSON.stringify(buildStrategyJsonSchema(), null, 2)}\n`;
}
