/**
 * Documents the API serves behind the key (invoice PDF, aging CSV): fetched with the Authorization
 * header into a blob and shown or saved through a blob: URL, so the key never goes into a URL the
 * browser could log, cache or send on as a referrer.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';

export type BlobState =
  { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; url: string; size: number };

/** A blob: URL for `/v1${path}`, revoked when the screen leaves or the path changes. */
export function useBlobUrl(path: string | null): BlobState {
  const [state, setState] = useState<BlobState>({ status: 'loading' });
  useEffect(() => {
    if (!path) return undefined;
    const controller = new AbortController();
    let url: string | undefined;
    setState({ status: 'loading' });
    api<Blob>(path, { as: 'blob', signal: controller.signal }).then(
      (blob) => {
        url = URL.createObjectURL(blob);
        setState({ status: 'ready', url, size: blob.size });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [path]);
  return state;
}

/** Saves `/v1${path}` (query included) as `filename` through a temporary blob: link. */
export async function downloadWithKey(path: string, filename: string, query?: Record<string, string>): Promise<void> {
  const blob = await api<Blob>(path, { as: 'blob', query });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
