import type { z } from 'zod';

/** A form check that failed, said the way a person would (zod's own words are for developers). */
export function issueInWords(issue: z.core.$ZodIssue): string {
  const limit = (n: unknown): string =>
    typeof n === 'number' || typeof n === 'bigint' ? n.toLocaleString('en-US') : String(n);
  switch (issue.code) {
    case 'too_big':
      return issue.inclusive ? `at most ${limit(issue.maximum)}` : `below ${limit(issue.maximum)}`;
    case 'too_small':
      return issue.inclusive
        ? `at least ${limit(issue.minimum)}`
        : `more than ${limit(issue.minimum)}`;
    case 'invalid_type':
      return issue.expected === 'int'
        ? 'a whole number is needed here'
        : issue.expected === 'number'
          ? 'a number is needed here'
          : issue.message;
    case 'not_multiple_of':
      return 'a whole number is needed here';
    default:
      return issue.message;
  }
}
