/** One term and its value in a `<dl className="facts">`: the header panels of the detail screens. */
import type { ReactNode } from 'react';

export function Fact({
  term,
  className,
  testId,
  children,
}: {
  term: string;
  /** On the value (`num` right-aligns an amount). */
  className?: string;
  /** The value's data-testid, for the browser tests that read it. */
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={className} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
