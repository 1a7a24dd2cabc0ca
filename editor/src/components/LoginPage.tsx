import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiErrorBody } from '../../../nodes/protocol.ts';
import './forms.css';

type LoginOutcome = { ok: true } | { ok: false; status: number; message: string; retryAfterSeconds?: number };

/**
 * POST /api/login. Done here rather than through api.login because a 429 tells how long to
 * wait only in its Retry-After header, which the shared client does not pass on.
 */
async function login(username: string, password: string): Promise<LoginOutcome> {
  const response = await fetch('/api/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.ok) return { ok: true };
  const body = (await response.json().catch(() => undefined)) as ApiErrorBody | undefined;
  const header = Number(response.headers.get('Retry-After'));
  const details = body?.error.details as { retryAfter?: unknown } | undefined;
  const retry = Number.isFinite(header) && header > 0 ? header : typeof details?.retryAfter === 'number' ? details.retryAfter : undefined;
  return { ok: false, status: response.status, message: body?.error.message ?? `${response.status} ${response.statusText}`, ...(retry ? { retryAfterSeconds: retry } : {}) };
}

/** "4 min 10 s", "45 s". */
export function waitText(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  return s % 60 ? `${minutes} min ${s % 60} s` : `${minutes} min`;
}

/** The admin login, shown when the server asks for one (GET /api/session). */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [waitUntil, setWaitUntil] = useState<number | undefined>();
  const [now, setNow] = useState(() => Date.now());
  const passwordInput = useRef<HTMLInputElement>(null);
  const userInput = useRef<HTMLInputElement>(null);

  useEffect(() => userInput.current?.focus(), []);
  // Count the wait down once a second, and clear it when it is over.
  useEffect(() => {
    if (waitUntil === undefined) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= waitUntil) {
        setWaitUntil(undefined);
        setError(undefined);
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const waiting = waitUntil !== undefined && waitUntil > now;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || waiting) return;
    if (!user.trim() || !password) {
      setError('Enter your user name and password.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await login(user.trim(), password);
      if (outcome.ok) {
        onLoggedIn();
        return;
      }
      if (outcome.status === 401) {
        setError('Wrong user name or password.');
        setPassword('');
        passwordInput.current?.focus();
      } else if (outcome.status === 429) {
        const seconds = outcome.retryAfterSeconds ?? 60;
        setNow(Date.now());
        setWaitUntil(Date.now() + seconds * 1000);
        setError('Too many failed attempts.');
      } else if (outcome.status === 400) {
        setError('Enter your user name and password.');
      } else {
        setError(`Logging in failed: ${outcome.message}`);
      }
    } catch (e) {
      setError(`The server cannot be reached: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? 'login-error' : undefined}>
        <h1 className="login-brand">topicflow</h1>
        <p className="login-intro">This editor asks for the admin login.</p>
        <label className="sf-label" htmlFor="login-user">
          User name
        </label>
        <input ref={userInput} id="login-user" className="sf-input" name="username" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} autoCapitalize="none" spellCheck={false} />
        <label className="sf-label" htmlFor="login-password">
          Password
        </label>
        <input ref={passwordInput} id="login-password" className="sf-input" type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && (
          <p id="login-error" className="login-error" role="alert">
            {error}
            {waiting && ` Try again in ${waitText((waitUntil - now) / 1000)}.`}
          </p>
        )}
        <button type="submit" className="sb-button sb-primary login-submit" disabled={busy || waiting}>
          {busy ? 'Logging in…' : waiting ? `Wait ${waitText((waitUntil - now) / 1000)}` : 'Log in'}
        </button>
        <p className="login-hint">
          Forgot it? Make a new hash with <code>npx topicflow hash-password</code> and restart topicflow with it.
        </p>
      </form>
    </main>
  );
}
