import { describe, expect, it } from 'vitest';
import {
  TrialSharpeAccumulator,
  deflatedSharpeRatio,
  expectedMaxSharpe,
} from '../../../src/core/metrics';
import { trialStats } from '../../../src/core/metrics/trial-ledger-stats';

describe('trialStats: N and V of the DSR from the trial ledger', () => {
  it('counts every trial as N and takes V over the known Sharpes only', () => {
    // Known Sharpes 0.1, 0.3, −0.1, 0.5: mean 0.2; squared deviations 0.01, 0.01, 0.09, 0.09;
    // sum 0.2; sample variance 0.2 / 3 = 0.0666…
    const stats = trialStats([0.1, null, 0.3, -0.1, null, 0.5], 9);
    expect(stats.trials).toBe(9);
    expect(stats.ledgerCount).toBe(9);
    expect(stats.withSharpe).toBe(4);
    expect(stats.sharpeVariance).toBeCloseTo(0.2 / 3, 15);
  });

  it('agrees with the streaming accumulator the metrics use', () => {
    const sharpes = [0.031, -0.012, 0.044, 0.007, 0.019, -0.003];
    const acc = new TrialSharpeAccumulator();
    for (const s of sharpes) acc.push(s);
    expect(trialStats(sharpes, sharpes.length).sharpeVariance).toBeCloseTo(
      acc.stats().sharpeVariance,
      15,
    );
  });

  it('keeps its precision for Sharpes of similar size', () => {
    // 1e6 + {0, 1, 2}: variance exactly 1; Σx² − n·mean² would lose it.
    expect(trialStats([1e6, 1e6 + 1, 1e6 + 2], 3).sharpeVariance).toBe(1);
  });

  it('gives V = 0 below two Sharpes and N = 1 for an empty ledger', () => {
    expect(trialStats([0.2, null], 5)).toMatchObject({ trials: 5, sharpeVariance: 0 });
    expect(trialStats([], 0)).toEqual({
      trials: 1,
      sharpeVariance: 0,
      ledgerCount: 0,
      withSharpe: 0,
    });
    expect(expectedMaxSharpe(trialStats([], 0))).toBe(0);
  });

  it('feeds the DSR directly', () => {
    const stats = trialStats([0.01, 0.03, null], 100);
    const sample = { sharpe: 0.1, observations: 500, skewness: 0, kurtosis: 3 };
    expect(deflatedSharpeRatio(sample, stats)).toBe(
      deflatedSharpeRatio(sample, { trials: 100, sharpeVariance: 0.0002 }),
    );
  });

  it('refuses a bad Sharpe or a count below the known Sharpes, naming them', () => {
    expect(() => trialStats([0.1, Number.NaN], 2)).toThrow(/trial 1: per-period Sharpe/);
    expect(() => trialStats([0.1, 0.2, null], 1)).toThrow(/at least 2/);
    expect(() => trialStats([], 1.5)).toThrow(/trial count/);
  });
});
