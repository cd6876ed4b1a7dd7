/**
 * A query's data on screen (a list, a report): the first load shows a spinner, or the error with a way to try again;
 * once loaded the data stays through a failed refresh, with a note saying so.
 */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorState, Loading } from '../components/States';
import { RefreshFailed } from './RefreshFailed';

export function Loaded<T>({
  query,
  what,
  heading,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  /** Shown above the spinner or the error: a detail screen's title before its data names it better. */
  heading?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.data === undefined)
    return (
      <>
        {heading}
        {query.isError ? (
          <ErrorState error={query.error} what={what} onRetry={() => void query.refetch()} />
        ) : (
          <Loading what={what} />
        )}
      </>
    );
  return (
    <>
      {query.isError && <RefreshFailed error={query.error} what={what} />}
      {children(query.data)}
    </>
  );
}
