import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { translator, type Language } from '../i18n';

/** Shown after an administrator created the account or reset its password: the person picks their own. */
export function ChangePassword({ lang, onChanged }: { lang: Language; onChanged: () => void }) {
  const t = translator(lang);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next.length < 12) return setError(t('passwordTooShort'));
    try {
      await api('POST', '/v1/sessions/current/password', { currentPassword: current, newPassword: next });
      onChanged();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 403
          ? t('wrongCurrentPassword')
          : err instanceof ApiError && err.errors[0]
            ? err.errors[0].message
            : t('errorTitle'),
      );
    }
  };

  return (
    <form className="card sign-in" onSubmit={(e) => void submit(e)}>
      <h1>{t('choosePassword')}</h1>
      <p className="hint">{t('choosePasswordHint')}</p>
      <label>
        {t('currentPassword')}
        <input
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </label>
      <label>
        {t('newPassword')}
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit">{t('savePassword')}</button>
    </form>
  );
}
