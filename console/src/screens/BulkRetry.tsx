export function BulkRetryScreen() {
  return <h1>Bulk retry</h1>;
}
