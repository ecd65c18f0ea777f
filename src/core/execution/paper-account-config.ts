import { z } from 'zod';
import { PAPER_ACCOUNT_DEFAULTS } from './paper-account-defaults';

/**
 * Settings of one paper account. Validated once, up front, with every problem reported together
 * (a bad setting is a configuration error, not something to discover mid-backtest).
 */
export const PaperAccountConfigSchema = z
  .object({
    initialCash: z.number().finite().positive().default(PAPER_ACCOUNT_DEFAULTS.initialCash),
    takerFeeRate: z.number().finite().min(0).max(0.1).default(PAPER_ACCOUNT_DEFAULTS.takerFeeRate),
    slippageBps: z.number().finite().min(0).max(1_000).default(PAPER_ACCOUNT_DEFAULTS.slippageBps),
    leverage: z.number().finite().min(1).max(125).default(PAPER_ACCOUNT_DEFAULTS.leverage),
    maintenanceMarginRate: z
      .number()
      .finite()
      .min(0)
      .max(0.5)
      .default(PAPER_ACCOUNT_DEFAULTS.maintenanceMarginRate),
  })
  .refine((c) => c.maintenanceMarginRate < 1 / c.leverage, {
    // Otherwise a long's liquidation price would sit at or above its entry.
    message: 'maintenanceMarginRate must be below 1 / leverage',
    path: ['maintenanceMarginRate'],
  });

/** A validated paper-account configuration (all fields present). */
export type PaperAccountConfig = z.output<typeof PaperAccountConfigSchema>;
/** What a caller may pass: any subset; the rest takes the defaults. */
export type PaperAccountConfigInput = z.input<typeof PaperAccountConfigSchema>;

/** A paper-account configuration that failed validation; `issues` lists every problem. */
export class PaperAccountConfigError extends Error {
  public constructor(public readonly issues: readonly string[]) {
    super(`invalid paper account config: ${issues.join('; ')}`);
    this.name = 'PaperAccountConfigError';
  }
}

/** Fills defaults and validates; throws {@link PaperAccountConfigError} listing every problem. */
export function parsePaperAccountConfig(input: PaperAccountConfigInput = {}): PaperAccountConfig {
  const result = PaperAccountConfigSchema.safeParse(input);
  if (!result.success) {
    throw new PaperAccountConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}
