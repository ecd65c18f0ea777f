import type { Candle } from '../../../shared/market';
import { INDICATOR_SOURCES, type IndicatorSource } from '../indicator-catalog';
import { sourcePrice } from '../price-source';

/** Position of each source in {@link INDICATOR_SOURCES}: its code. */
const SOURCE_CODE: Readonly<Record<IndicatorSource, number>> = Object.fromEntries(
  INDICATOR_SOURCES.map((s, i) => [s, i]),
) as Record<IndicatorSource, number>;

/** The code of `source` (its position in {@link INDICATOR_SOURCES}). */
export function sourceCode(source: IndicatorSource): number {
  return SOURCE_CODE[source];
}

/** {@link sourcePrice} by source code: the same arithmetic, an integer switch. */
export function sourcePriceByCode(bar: Candle, code: number): number {
  return sourcePrice(bar, INDICATOR_SOURCES[code] as IndicatorSource);
}

/** For updating one member alone (one thread, no re-entry: a bank's kernel calls nothing). */
const scratchPrices = new Float64Array(INDICATOR_SOURCES.length);

/** Every source price of `bar` into `prices`, by source code. */
export function sourcePrices(bar: Candle, prices: Float64Array): void {
  for (let s = 0; s < INDICATOR_SOURCES.length; s++) prices[s] = sourcePriceByCode(bar, s);
}

/**
 * What a bank needs of its members: their source and outputs, their slot, and their state
 * copied into and out of a record (on joining and leaving).
 */
export interface BankMember {
  readonly source: IndicatorSource;
  /** The reader's view: the bank's loop writes the member's values into it. */
  readonly outputs: Float64Array;
  /** @internal The bank holding the member's state, null while it keeps it itself. */
  bank: IndicatorBank<this> | null;
  /** @internal Its slot in `bank`. */
  slot: number;
  /** Writes every field of its record but SOURCE (READY included) from its own state. */
  saveRecord(state: Float64Array, r: number): void;
  /** Takes its state back from its record. */
  loadRecord(state: Float64Array, r: number): void;
}

/**
 * Many indicators of one class updated together: every member's state in one Float64Array, a
 * fixed-size record per slot (`stride` numbers from `slot * stride`), updated for all members
 * by one tight loop per bar, with arithmetic identical to the class's own `update`.
 *
 * Why: an object per indicator behind a shared loop costs a dispatch and scattered loads per
 * indicator; one monomorphic loop over one typed array is about twice as cheap once a
 * timeframe holds many indicators of the class. Records rather than a column per field: a
 * member's state is then one or two cache lines, not one per field. For a handful of members
 * the objects themselves are cheaper (fewer objects to touch per bar), so an
 * {@link IndicatorSet} switches a class to a bank only from {@link BANK_MIN} members on.
 *
 * What readers hold stays each member's own small output Float64Array, which the loop writes
 * into: slots can then move (swap-remove on leave, the array reallocated on growth) without
 * ever invalidating a reader's view.
 */
export abstract class IndicatorBank<M extends BankMember> {
  /** Members by slot. */
  protected readonly members: M[] = [];
  /** Each member's outputs (the reader's view), by slot. */
  protected readonly outs: Float64Array[] = [];
  /**
   * Member records: field f of slot i at `i * stride + f` (the subclass names its fields;
   * field {@link READY} is 1 once ready, field {@link SOURCE} the code of the price it reads).
   */
  protected state: Float64Array;
  /** Members held (not `members.length`: the bar loop then touches one object less). */
  private held = 0;

  protected constructor(protected readonly stride: number) {
    this.state = new Float64Array(BANK_MIN * stride);
  }

  /** Members held. */
  public get size(): number {
    return this.held;
  }

  /** One bar for every member: `prices[code]` set for every source code a member reads. */
  public update(prices: Float64Array): void {
    this.run(0, this.held, prices);
  }

  /** One bar for the member in `slot` alone. */
  public updateOne(slot: number, bar: Candle): void {
    sourcePrices(bar, scratchPrices);
    this.run(slot, slot + 1, scratchPrices);
  }

  /** Whether the member in `slot` has every output. */
  public isReady(slot: number): boolean {
    return this.state[slot * this.stride + READY] === 1;
  }

  /** Forgets the history of the member in `slot`. */
  public clear(slot: number): void {
    this.clearState(slot * this.stride);
    this.state[slot * this.stride + READY] = 0;
  }

  /** Takes `member` in, with its state, in a new last slot. */
  public join(member: M): void {
    const slot = this.held;
    if ((slot + 1) * this.stride > this.state.length) this.grow();
    this.members.push(member);
    this.outs.push(member.outputs);
    this.held = slot + 1;
    const r = slot * this.stride;
    this.state[r + SOURCE] = SOURCE_CODE[member.source];
    member.saveRecord(this.state, r);
    this.joinExtra(member);
    member.bank = this;
    member.slot = slot;
  }

  /** Gives `member` its state back and lets it go: the last member moves into its slot. */
  public leave(member: M): void {
    const slot = member.slot;
    const stride = this.stride;
    const state = this.state;
    member.loadRecord(state, slot * stride);
    member.bank = null;
    member.slot = -1;
    const last = this.held - 1;
    if (slot !== last) {
      for (let f = 0; f < stride; f++)
        state[slot * stride + f] = state[last * stride + f] as number;
      const moved = this.members[last] as M;
      this.members[slot] = moved;
      this.outs[slot] = this.outs[last] as Float64Array;
      moved.slot = slot;
      this.moveExtra(last, slot);
    }
    this.members.pop();
    this.outs.pop();
    this.held = last;
    this.dropLast();
  }

  /** The bar kernel for slots [from, to): arithmetic identical to the class's `update`. */
  protected abstract run(from: number, to: number, prices: Float64Array): void;

  /** Empties the state fields of the record at `r` (not READY, SOURCE or the parameters). */
  protected abstract clearState(r: number): void;

  /** Takes per-member state kept outside the records (e.g. ring buffers); none by default. */
  protected joinExtra(member: M): void {
    void member;
  }

  /** Moves per-member state kept outside the records from slot `from` to `to`. */
  protected moveExtra(from: number, to: number): void {
    void from;
    void to;
  }

  /** Drops the per-member state kept outside the records for the last slot. */
  protected dropLast(): void {}

  private grow(): void {
    const state = new Float64Array(this.state.length * 2);
    state.set(this.state);
    this.state = state;
  }
}

/** Members of one class from which a set keeps them in a bank rather than as objects. */
export const BANK_MIN = 4;

/** Field 0 of every record: 1 once the member is ready. */
export const READY = 0;
/** Field 1 of every record: the code of the member's source ({@link sourceCode}). */
export const SOURCE = 1;
