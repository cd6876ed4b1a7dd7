/** The frame of every signed-in screen: skip link, navigation filtered by role, who is signed in. */
import { useEffect, useRef, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import { session } from './api';
import { useCan, useMe } from './auth';
import { screens } from './routes';

export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const can = useCan();
  const nav = screens.filter((s) => s.nav && can(s.nav.permission));
  // After a navigation, keyboard and screen-reader users start at the new screen, not the old link.
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">
          closedloop <span className="brand-sub">console</span>
        </span>
        <nav aria-label="Main">
          <ul>
            {nav.map((s) => (
              <li key={s.path}>
                <NavLink to={s.path} end={s.path === '/'}>
                  {s.nav!.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <span data-testid="whoami">
            {me.name} <span className="badge badge-info">{me.role}</span>
          </span>
          <button type="button" className="btn btn-small" onClick={() => session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </>
  );
}
