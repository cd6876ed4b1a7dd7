/** "First page" and "Next page" over the API's cursor, kept in the URL so the back button pages back. */
import { useSearchParams } from 'react-router';

export function CursorPager({ label, nextCursor }: { label: string; nextCursor: string | null }) {
  const [params, setParams] = useSearchParams();
  const cursor = params.get('cursor') ?? '';
  const goTo = (next: string | null) => {
    const p = new URLSearchParams(params);
    if (next) p.set('cursor', next);
    else p.delete('cursor');
    setParams(p);
  };
  return (
    <nav className="pager" aria-label={label}>
      {cursor && (
        <button type="button" className="btn" onClick={() => goTo(null)}>
          First page
        </button>
      )}
      {nextCursor && (
        <button type="button" className="btn" onClick={() => goTo(nextCursor)}>
          Next page
        </button>
      )}
    </nav>
  );
}
