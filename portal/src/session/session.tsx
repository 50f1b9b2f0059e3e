/**
 * Who is signed in: the portal session (GET/POST/DELETE /api/v1/session, an HttpOnly cookie plus a CSRF token)
 * and what the API says the caller is (GET /api/v1/me: the party's kind and the roles the person acts with) and
 * may do (GET /api/v1/session/permissions): the portal offers what the API permits, never deciding by itself.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, configureClient, type ApiError } from '../api/client';
import type { ActionId, Me, Permissions, Problem, SessionAnswer, User } from '../api/types';
import { asApiError } from '../api/use-resource';

export interface Session {
  readonly user: User;
  readonly me: Me;
  readonly permissions: Permissions;
  readonly expiresAt: string;
}

export type SessionState =
  | { readonly status: 'checking' }
  /** `ended`: a session was lost (not a first visit or a sign-out); `reason` the server's problem, when it said. */
  | { readonly status: 'signed-out'; readonly ended: boolean; readonly reason?: Problem | undefined }
  | { readonly status: 'signed-in'; readonly session: Session }
  /** Signed in with a password an admin set: only choosing their own (or signing out) is possible. */
  | { readonly status: 'password-change'; readonly user: User; readonly expiresAt: string }
  | { readonly status: 'unreachable'; readonly error: ApiError };

export interface Credentials {
  readonly email: string;
  readonly password: string;
  readonly totp?: string;
}

interface SessionContextValue {
  readonly state: SessionState;
  readonly signIn: (credentials: Credentials) => Promise<void>;
  readonly signOut: () => Promise<void>;
  readonly retry: () => void;
  /** The person chose a new password (POST /users/me/password answered this user); the session goes on. */
  readonly passwordChanged: (user: User) => Promise<void>;
  /** The server answered a newer view of the signed-in user (second factor turned on or off). */
  readonly userChanged: (user: User) => void;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

async function open(answer: SessionAnswer): Promise<Session> {
  configureClient({ csrfToken: answer.csrfToken });
  const [me, permissions] = await Promise.all([api.get<Me>('/me'), api.get<Permissions>('/session/permissions')]);
  return { user: answer.user, me, permissions, expiresAt: answer.expiresAt };
}

/** The state a session answer leads to: the forced password change first, where the server asks for it. */
async function stateFor(answer: SessionAnswer): Promise<SessionState> {
  if (answer.user.mustChangePassword === true) {
    configureClient({ csrfToken: answer.csrfToken });
    return { status: 'password-change', user: answer.user, expiresAt: answer.expiresAt };
  }
  return { status: 'signed-in', session: await open(answer) };
}

export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    configureClient({
      onSessionLost: (reason) => {
        configureClient({ csrfToken: undefined });
        setState((previous) => (previous.status === 'signed-in' || previous.status === 'password-change' ? { status: 'signed-out', ended: true, reason } : previous));
      },
      onPasswordChangeRequired: () => {
        setState((previous) => (previous.status === 'signed-in' ? { status: 'password-change', user: previous.session.user, expiresAt: previous.session.expiresAt } : previous));
      },
    });
  }, []);

  useEffect(() => {
    let current = true;
    api
      .get<SessionAnswer>('/session')
      .then(stateFor)
      .then(
        (next) => current && setState(next),
        (error: unknown) => {
          if (!current) return;
          const problem = asApiError(error);
          setState(problem.status === 401 ? { status: 'signed-out', ended: false } : { status: 'unreachable', error: problem });
        },
      );
    return () => {
      current = false;
    };
  }, [attempt]);

  const signIn = useCallback(async (credentials: Credentials) => {
    const answer = await api.post<SessionAnswer>('/session', credentials);
    setState(await stateFor(answer));
  }, []);

  const passwordChanged = useCallback(async (user: User) => {
    // The same session goes on (the server ended only the others); its answer carries the CSRF token again.
    const answer = await api.get<SessionAnswer>('/session');
    setState(await stateFor({ ...answer, user: { ...answer.user, ...user } }));
  }, []);

  const userChanged = useCallback((user: User) => {
    setState((previous) => (previous.status === 'signed-in' ? { status: 'signed-in', session: { ...previous.session, user } } : previous));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.delete('/session');
    } catch {
      // The session is gone either way from the person's point of view; the cookie expires by itself.
    }
    configureClient({ csrfToken: undefined });
    setState({ status: 'signed-out', ended: false });
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'checking' });
    setAttempt((value) => value + 1);
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, retry, passwordChanged, userChanged }), [state, signIn, signOut, retry, passwordChanged, userChanged]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionContextValue {
  const context = useContext(SessionContext);
  if (context === undefined) throw new Error('useSessionState outside SessionProvider');
  return context;
}

/** The signed-in session; only pages behind the sign-in gate call it. */
export function useSession(): Session {
  const { state } = useSessionState();
  if (state.status !== 'signed-in') throw new Error('useSession without a session');
  return state.session;
}

/** What the portal offers a session, from what the API permits it; the API still decides every call. */
export interface Abilities {
  readonly declare: boolean;
  readonly decide: boolean;
  readonly operate: boolean;
  readonly administer: boolean;
  /** Whether the API permits one action of docs/authorization.md. */
  readonly may: (action: ActionId) => boolean;
}

export function abilitiesOf(session: Session): Abilities {
  const permitted = new Set<string>(session.permissions.actions);
  const may = (action: ActionId) => permitted.has(action);
  return {
    declare: may('submission.declare'),
    decide: may('submission.decide'),
    operate: may('stats.read'),
    administer: may('users.manage'),
    may,
  };
}
