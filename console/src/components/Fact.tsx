/** One term and its value in a `<dl className="facts">`: the header panels of the detail screens. */
import type { ReactNode } from 'react';

export function Fact({ term, className, children }: { term: string; className?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}
