import { z } from 'zod';
import { ApiErrorBodySchema } from './api-errors';

/** Frames of the WebSocket transport. IPC carries the same call/response bodies. */
export const CallFrameSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(128),
  params: z.unknown().optional(),
});
export type CallFrame = z.infer<typeof CallFrameSchema>;

export const CallOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorBodySchema }),
]);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;

export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result'),
    id: z.number().int().nullable(),
    outcome: CallOutcomeSchema,
  }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Electron IPC channel names: one prefix, nothing else crosses. */
export const IPC_CALL_CHANNEL = 'parallax:call';
export const IPC_EVENT_CHANNEL = 'parallax:event';
