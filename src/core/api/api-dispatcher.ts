import type { z } from 'zod';
import { apiMethods, isMethodName, type ApiHandlers, type MethodName } from '../../shared/api';
import { formatIssuePath, type ApiErrorBody } from '../../shared/api-errors';
import type { CallOutcome } from '../../shared/wire';

/** An error whose message is meant for the person at the screen (bad input, not a bug). */
export class UserFacingError extends Error {
  public constructor(
    message: string,
    public readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export function zodIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
}

/**
 * The one door every call goes through, whichever transport brought it: the method must exist,
 * the params must match its schema, and whatever the handler throws becomes a structured error.
 */
export class ApiDispatcher {
  public constructor(
    private readonly handlers: ApiHandlers,
    private readonly log: (message: string) => void = (m) => console.warn(m),
  ) {}

  public async dispatch(method: unknown, params: unknown): Promise<CallOutcome> {
    if (!isMethodName(method)) {
      const name = typeof method === 'string' ? method.slice(0, 128) : typeof method;
      return fail({ code: 'UNKNOWN_METHOD', message: `unknown method: ${name}` });
    }
    const schema = apiMethods[method].params;
    const parsed = schema.safeParse(params ?? {});
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      const first = issues[0];
      return fail({
        code: 'INVALID_PARAMS',
        method,
        message: `invalid params for ${method}: ${first ? `${first.path}: ${first.message}` : 'wrong shape'}`,
        issues,
      });
    }
    try {
      const handler = this.handlers[method] as (p: unknown) => unknown;
      const result = await handler(parsed.data);
      return { ok: true, result };
    } catch (error) {
      return fail(this.describe(method, error));
    }
  }

  private describe(method: MethodName, error: unknown): ApiErrorBody {
    if (error instanceof UserFacingError) {
      return { code: 'FAILED', method, message: error.message, issues: [...error.issues] };
    }
    if (error instanceof Error && error.name === 'CandleFileError') {
      return { code: 'FAILED', method, message: error.message };
    }
    this.log(
      `[parallax] ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      code: 'INTERNAL',
      method,
      message: `${method} failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function fail(error: ApiErrorBody): CallOutcome {
  return { ok: false, error };
}
