import { Link } from 'react-router';
import { EmptyState } from '../components/States';

export function NotFoundScreen() {
  return (
    <>
      <h1>Not found</h1>
      <EmptyState title="There is no screen at this address.">
        <Link to="/">Back to the work queue</Link>
      </EmptyState>
    </>
  );
}
