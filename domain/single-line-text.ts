/**
 * Single-line text that reaches our documents and e-mails (names, PO numbers, address lines, payment
 * references). CR and LF would let a sender forge lines inside an invoice or an e-mail; tab and the other
 * C0/C1 controls (and the Unicode line/paragraph separators) have no place on one printed line either.
 */
import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const NOT_ONE_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

export const isSingleLine = (value: string): boolean => !NOT_ONE_LINE.test(value);

/** 1..max characters after trimming, on one line; messages name the problem, zod's path names the field. */
export const singleLineText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(isSingleLine, 'must be a single line without control characters (no CR, LF or tab)');
