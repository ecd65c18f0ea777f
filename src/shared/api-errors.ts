import { z } from 'zod';

export const API_ERROR_CODES = [
  'MALFORMED_JSON',
  'BAD_FRAME',
  'UNKNOWN_METHOD',
  'INVALID_PARAMS',
  'PAYLOAD_TOO_LARGE',
  'FAILED',
  'INTERNAL',
  'DISCONNECTED',
] as const;
export const ApiErrorCodeSchema = z.enum(API_ERROR_CODES);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

export const ApiIssueSchema = z.object({ path: z.string(), message: z.string() });
export type ApiIssue = z.infer<typeof ApiIssueSchema>;

/** What every failed call returns, over either transport. */
export const ApiErrorBodySchema = z.object({
  code: ApiErrorCodeSchema,
  message: z.string(),
  method: z.string().optional(),
  issues: z.array(ApiIssueSchema).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** Thrown by API clients when a call fails; carries the structured body. */
export class ApiError extends Error {
  public readonly code: ApiErrorCode;
  public readonly issues: readonly ApiIssue[];

  public constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.issues = body.issues ?? [];
  }
}

/** Renders a zod error path as `a.b[2].c`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}
