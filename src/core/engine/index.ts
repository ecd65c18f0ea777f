/**
 * The engine: strategy instances trading compiled strategies on closed bars, and the bar loop
 * that feeds them shared indicators. Backtest and live run the same loop and instances.
 */
export { EngineBarLoop, type EngineBarLoopOptions } from './engine-bar-loop';
export {
  EngineRecordCollector,
  signalTerms,
  type EngineRecordSink,
  type FillRecord,
  type OrderRecord,
  type SignalAction,
  type SignalRecord,
  type TradeRecord,
} from './engine-records';
export { ENGINE_V8_FLAGS, tuneV8ForEngine } from './engine-v8-flags';
export { EquityCurve } from './equity-curve';
export {
  decodeDouble,
  encodeDouble,
  INSTANCE_CHECKPOINT_VERSION,
  InstanceCheckpointError,
  InstanceCheckpointSchema,
  parseInstanceCheckpoint,
  type InstanceCheckpoint,
  type JsonDouble,
} from './instance-checkpoint';
export { entryOrderFor, paperAccountFor } from './risk-orders';
export {
  createStrategyInstance,
  StrategyInstance,
  type BarDrivenExecution,
  type CreateStrategyInstanceOptions,
  type InstanceState,
  type StrategyInstanceOptions,
} from './strategy-instance';
export { TimeframeRoller, type MutableCandle } from './timeframe-roller';
