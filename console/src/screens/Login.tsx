/**
 * The key is typed once, checked against GET /v1/me, then kept in sessionStorage for this tab only.
 * A refused key shows the API's reason verbatim.
 */
import { useState, type FormEvent } from 'react';
import { api, describeError, session } from '../api';
import type { Me } from '../auth';

export function LoginScreen({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api<Me>('/me', { key: key.trim() });
      session.signIn(key);
      onSignedIn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const problem = error ? describeError(error) : null;
  return (
    <main id="main" className="login">
      <form onSubmit={(e) => void submit(e)} className="login-card" aria-labelledby="login-title">
        <h1 id="login-title">closedloop console</h1>
        <p>Sign in with your API key. It is kept in this browser tab only, until you close it or sign out.</p>
        <div className="field">
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            name="api-key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-describedby="api-key-hint"
          />
          <small id="api-key-hint" className="hint">
            Starts with cl_. npm start prints the first admin key; npm run apikey -- create makes more.
          </small>
        </div>
        {problem && (
          <div className="problem" role="alert">
            <strong>{problem.title}</strong>
            <p className="problem-detail">{problem.detail}</p>
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy || key.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
