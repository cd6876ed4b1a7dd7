/**
 * The shell: TanStack Query polls every few seconds (live screens), the router keeps every filter in
 * the URL, and nothing renders past the login screen until GET /v1/me has said who the key is.
 */
import { useEffect, useState } from 'react';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider, Outlet } from 'react-router';
import { ApiError, session } from './api';
import { MeProvider, useMeQuery } from './auth';
import { screens } from './routes';
import { Layout } from './Layout';
import { LoginScreen } from './screens/Login';
import { NotFoundScreen } from './screens/NotFound';
import { ErrorState, Loading } from './components/States';
import { AnnouncerProvider } from './components/Announcer';

/** How often every screen's data is fetched again. */
export const POLL_MS = 4000;

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchInterval: POLL_MS,
      refetchIntervalInBackground: false,
      staleTime: 1000,
      // A refusal (4xx) will not change on a retry; a network blip may.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

function SignedIn() {
  const [key, setKey] = useState(session.key());
  const client = useQueryClient();
  useEffect(
    () =>
      session.onSignOut(() => {
        setKey(null);
        client.clear();
      }),
    [client],
  );
  const me = useMeQuery(key !== null);

  if (key === null) return <LoginScreen onSignedIn={() => setKey(session.key())} />;
  if (me.isPending)
    return (
      <main id="main" className="center">
        <Loading what="your key's role" />
      </main>
    );
  if (me.isError) {
    return (
      <main id="main" className="center">
        <ErrorState error={me.error} what="who you are (GET /v1/me)" onRetry={() => void me.refetch()} />
        <button type="button" className="btn" onClick={() => session.signOut()}>
          Sign out
        </button>
      </main>
    );
  }
  return (
    <MeProvider me={me.data}>
      <Layout>
        <Outlet />
      </Layout>
    </MeProvider>
  );
}

const router = createBrowserRouter(
  [
    {
      path: '/',
      element: <SignedIn />,
      children: [
        ...screens.map((s) => ({ path: s.path, element: s.element })),
        { path: '*', element: <NotFoundScreen /> },
      ],
    },
  ],
  { basename: '/console' },
);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <AnnouncerProvider>
        <RouterProvider router={router} />
      </AnnouncerProvider>
    </QueryClientProvider>
  );
}
