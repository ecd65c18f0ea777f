import fc from 'fast-check';

// Property tests run the same cases on every run so CI is reproducible; set FC_SEED to explore
// other cases locally (a failure prints its seed and path to replay it).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_261_121) });
