/**
 * A number (or string) that the type checker keeps apart from others of the same primitive type,
 * so a price cannot be passed where a quantity is expected. Costs nothing at run time.
 *
 * Lives here until a shared home exists (src/shared/nominal.ts is proposed; execution and the
 * other engine folders would import it from there).
 */
export type Nominal<T, Name extends string> = T & { readonly __nominal: Name };

/** A price in quote currency (USDT) per unit of the base asset. */
export type Price = Nominal<number, 'Price'>;
/** An amount of the base asset (e.g. BTC). Always positive; direction is carried by the side. */
export type Quantity = Nominal<number, 'Quantity'>;
/** An amount of the quote currency (USDT): cash, fees, P&L, margin. */
export type Usdt = Nominal<number, 'Usdt'>;
/** Milliseconds since the Unix epoch, UTC. Always taken from bars, never from a wall clock. */
export type EpochMs = Nominal<number, 'EpochMs'>;
/** Identifies an order within one paper account; assigned in submission order (deterministic). */
export type OrderId = Nominal<number, 'OrderId'>;
/** Identifies a closed trade within one paper account; assigned in closing order. */
export type TradeId = Nominal<number, 'TradeId'>;
