/**
 * The failure converter used when payload encryption is on. Temporal's default converter writes a
 * failure's message and stack trace into the history as plain text, outside every payload, so the codec
 * never sees them; and a failure message can carry customer data (a validation message quoting an
 * address or an e-mail). With `encodeCommonAttributes` the message and stack trace move into the
 * failure's `encodedAttributes` payload, which goes through the codec like any other payload; the
 * history keeps only "Encoded failure". Reading a failure (workflow code catching an activity failure,
 * the client, the Temporal CLI or Web UI through the codec endpoint) restores the message, whichever
 * converter wrote it.
 *
 * Loaded by path (`dataConverter.failureConverterPath`): the client and the worker require it, and the
 * workflow bundler compiles it into the workflow code, so it must stay sandbox-safe (no Node imports).
 */
import { DefaultFailureConverter } from '@temporalio/common';

/**
 * A string that ends up in a workflow bundle built with this converter and in no other: the worker
 * checks for it before running a prebuilt bundle with encryption on, so a bundle that would write
 * failure messages in the clear is refused at start instead of found in a history later.
 */
export const ENCODED_FAILURES_BUNDLE_MARK = 'closedloop:failures-encoded-by-codec';

class EncodedFailureConverter extends DefaultFailureConverter {
  readonly mark = ENCODED_FAILURES_BUNDLE_MARK;
}

export const failureConverter = new EncodedFailureConverter({ encodeCommonAttributes: true });
