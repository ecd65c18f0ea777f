import { z } from 'zod';
import { SeriesKeySchema } from './market';

/** Largest candle file accepted through the API (before base64), in bytes. */
export const MAX_IMPORT_BYTES = 48 * 1024 * 1024;

export const ImportRequestSchema = z.object({
  fileName: z.string().min(1).max(255),
  /** The file's bytes, base64-encoded (gzip or plain text). */
  contentBase64: z
    .string()
    .max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4, 'file is larger than the 48 MiB import limit'),
  exchange: z.string().min(1).max(64).optional(),
  symbol: z.string().min(1).max(64).optional(),
});
export type ImportRequest = z.infer<typeof ImportRequestSchema>;

export const ImportReportSchema = z.object({
  fileName: z.string(),
  series: SeriesKeySchema,
  format: z.string(),
  rows: z.number().int().nonnegative(),
  inserted: z.number().int().nonnegative(),
  alreadyStored: z.number().int().nonnegative(),
  firstTime: z.number().int().nonnegative(),
  lastTime: z.number().int().nonnegative(),
  /** Intervals with no bar inside the file's span (e.g. Kraken omits minutes without trades). */
  gaps: z.number().int().nonnegative(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;
