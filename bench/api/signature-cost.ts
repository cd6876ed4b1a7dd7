/**
 * The CPU cost of checking one closed-won signature (api/auth/signature.ts checkSignature: the HMAC
 * over "<timestamp>.<raw body>" and the constant-time compare), timed in a tight loop on the body the
 * load generator sends. It tells whether the signature check can matter next to a request's latency.
 */
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../api/auth/signature';
import { signedClosedWon } from './requests';

export function signatureCheckMicros(secret: string, iterations = 20_000): { micros: number; bodyBytes: number } {
  const { body, headers } = signedClosedWon(secret, 'B-signature-cost-1');
  const given = { timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER] };
  const check = () => {
    const problem = checkSignature(secret, given, body);
    if (problem) throw new Error(`signature cost: the benchmark's own signature was refused: ${problem}`);
  };
  for (let i = 0; i < iterations / 10; i += 1) check(); // warm-up for the JIT
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) check();
  return { micros: ((performance.now() - started) * 1000) / iterations, bodyBytes: Buffer.byteLength(body) };
}
