import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  OrderRecord,
  SignalRecord,
  TradeRecord,
} from '../../../src/core/engine/engine-records';
import type { RecordBatch } from '../../../src/core/store/engine-record-writer';
import { packRecordBatch, unpackRecordBatch } from '../../../src/core/store/record-batch-codec';

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const anyNumber = fc.double(); // NaN, ±∞ and −0 included
const id = fc.nat({ max: 2 ** 40 });
const orNull = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null });

const order: fc.Arbitrary<OrderRecord> = fc.record({
  variantId: text,
  orderId: id,
  time: orNull(id),
  status: fc.constantFrom('submitted', 'rejected'),
  kind: orNull(fc.constantFrom('entry', 'exit')),
  side: orNull(fc.constantFrom('long', 'short')),
  reason: text,
  rejectReason: orNull(fc.constantFrom('positionOpen', 'insufficientFunds', 'cancelled')),
  message: orNull(text),
}) as fc.Arbitrary<OrderRecord>;

const trade = fc.record({
  variantId: text,
  tradeId: id,
  side: fc.constantFrom('long', 'short'),
  quantity: anyNumber,
  leverage: anyNumber,
  entryTime: id,
  entryPrice: anyNumber,
  entryReason: text,
  exitTime: id,
  exitPrice: anyNumber,
  exitReason: text,
  grossPnl: anyNumber,
  fee: anyNumber,
  netPnl: anyNumber,
  margin: anyNumber,
  roiPct: anyNumber,
}) as unknown as fc.Arbitrary<TradeRecord>;

/** Signals of a few rules: the records of a rule share one texts array, as the engine's do. */
const signals: fc.Arbitrary<SignalRecord[]> = fc
  .array(fc.array(text, { maxLength: 6 }), { minLength: 1, maxLength: 3 })
  .chain((rules) =>
    fc.array(
      fc.nat({ max: rules.length - 1 }).chain((r) => {
        const termTexts = rules[r] as string[];
        return fc.record({
          variantId: text,
          time: id,
          rule: fc.constantFrom('entryLong', 'exitShort'),
          action: fc.constantFrom('entry', 'exit', 'conflict', 'refused', 'blocked'),
          orderId: orNull(id),
          termTexts: fc.constant(termTexts),
          termValues: fc.array(anyNumber, {
            minLength: termTexts.length,
            maxLength: termTexts.length,
          }),
        }) as fc.Arbitrary<SignalRecord>;
      }),
      { maxLength: 20 },
    ),
  );

const batch: fc.Arbitrary<RecordBatch> = fc.record({
  runId: text,
  orders: fc.array(order, { maxLength: 20 }),
  firstOrderSeq: fc.nat(),
  trades: fc.array(trade, { maxLength: 20 }),
  signals,
  firstSignalSeq: fc.nat(),
  snapshots: fc.constant([]),
});

describe('record batches packed for the store thread', () => {
  it('when any batch is packed and unpacked then every record comes back equal, field by field (null, NaN, ±∞ and −0 included)', () => {
    fc.assert(
      fc.property(batch, (b) => {
        const packed = packRecordBatch(b);
        // Through a real structured clone, as postMessage sends it.
        const back = unpackRecordBatch(structuredClone(packed));
        expect(back).toEqual(b);
        back.orders.forEach((o, i) => expect(Object.is(o.time, b.orders[i]!.time)).toBe(true));
        back.trades.forEach((t, i) => expect(Object.is(t.fee, b.trades[i]!.fee)).toBe(true));
        // Each rule's texts travel once, not once per signal.
        expect(packed.termTexts.length).toBeLessThanOrEqual(3);
      }),
      { numRuns: 300 },
    );
  });
});
