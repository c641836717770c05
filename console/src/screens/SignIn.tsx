import { useState, type FormEvent } from 'react';
import { api, ApiError, type Session } from '../api';
import { formatDateTime, translator, type Language } from '../i18n';

export function SignIn({ lang, onSignedIn }: { lang: Language; onSignedIn: (s: Session) => void }) {
  const t = translator(lang);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api<Session>('POST', '/v1/sessions', { login, password }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 429 && typeof err.body.lockedUntil === 'string')
        setError(t('lockedOut', { time: formatDateTime(lang, err.body.lockedUntil) }));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('signInFailed'));
      else setError(t('errorTitle'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card sign-in" onSubmit={(e) => void submit(e)} aria-describedby="sign-in-hint">
      <h1>{t('signInTitle')}</h1>
      <label>
        {t('login')}
        <input name="login" autoComplete="username" required value={login} onChange={(e) => setLogin(e.target.value)} />
      </label>
      <label>
        {t('password')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('signIn')}
      </button>
      <p id="sign-in-hint" className="hint">
        {t('signInHint')}
      </p>
    </form>
  );
}
