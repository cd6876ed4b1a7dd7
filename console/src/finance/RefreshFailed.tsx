/**
 * A refresh that failed while the screen already shows data: the data stays (and whatever is being
 * typed with it), with a note saying it may be out of date and why, in the API's words.
 */
import { describeError } from '../api';

export function RefreshFailed({ error, what }: { error: unknown; what: string }) {
  const { detail } = describeError(error);
  return (
    <p className="refresh-failed" role="status">
      Could not refresh {what}: {detail}. Showing what was loaded before; it tries again by itself.
    </p>
  );
}
