import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { useApp } from '../app-context';
import { RegionSelect, useRefusals, ValueSelect } from '../forms/fields';
import { fieldLabel, valueLabel } from '../i18n';

interface Member {
  staffId: string;
  name: string;
  role: string;
  region?: string;
  supervisorId?: string;
  active: boolean;
}
const roles = ['case_manager', 'supervisor', 'head', 'admin'] as const;

/** An administrator's screen: the staff registry, adding people, and giving each a console account. */
export function Staff() {
  const { t, lang } = useApp();
  const [staff, setStaff] = useState<Member[]>();
  const [form, setForm] = useState({ staffId: '', name: '', role: 'case_manager', region: '', supervisorId: '' });
  const [account, setAccount] = useState<{ staffId: string; login: string; password: string }>();
  const refusals = useRefusals(lang);
  const [notice, setNotice] = useState<string>();

  const load = useCallback(() => {
    api<{ staff: Member[] }>('GET', '/v1/staff?limit=500').then(
      (r) => setStaff(r.staff),
      () => setStaff([]),
    );
  }, []);
  useEffect(load, [load]);
  const register = async (e: FormEvent) => {
    e.preventDefault();
    refusals.clear();
    const body = {
      staffId: form.staffId.trim(),
      name: form.name.trim(),
      role: form.role,
      ...(form.region ? { region: form.region } : {}),
      ...(form.supervisorId ? { supervisorId: form.supervisorId } : {}),
    };
    try {
      await api('POST', '/v1/staff', body);
      setNotice(t('staffSaved'));
      setAccount({ staffId: body.staffId, login: body.staffId.toLowerCase(), password: suggestPassword() });
      setForm({ staffId: '', name: '', role: 'case_manager', region: form.region, supervisorId: '' });
      load();
    } catch (err) {
      refusals.refuse(err);
    }
  };
  const saveAccount = async (e: FormEvent) => {
    e.preventDefault();
    if (!account) return;
    refusals.clear();
    try {
      await api('PUT', `/v1/staff/${encodeURIComponent(account.staffId)}/account`, {
        login: account.login,
        password: account.password,
      });
      setNotice(t('accountSaved'));
      setAccount(undefined);
    } catch (err) {
      refusals.refuse(err);
    }
  };
  const problem = (path: string) => refusals.at(path);
  const setValue = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setValue(k)(e.target.value);
  const supervisors = (staff ?? []).filter((m) => m.role === 'supervisor' && m.active);

  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t('staff')}</h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form className="card schema-form" onSubmit={(e) => void register(e)} aria-labelledby="register-title">
        <h2 id="register-title">{t('registerStaff')}</h2>
        <label>
          {fieldLabel(lang, 'staffId')} *
          <input value={form.staffId} onChange={set('staffId')} required pattern="[A-Za-z0-9._:@-]+" />
          {problem('staffId')}
        </label>
        <label>
          {fieldLabel(lang, 'name')} *
          <input value={form.name} onChange={set('name')} required />
          {problem('name')}
        </label>
        <ValueSelect
          label={fieldLabel(lang, 'role')}
          lang={lang}
          value={form.role}
          values={roles}
          onChange={setValue('role')}
        />
        <RegionSelect
          label={fieldLabel(lang, 'region')}
          lang={lang}
          value={form.region}
          onChange={setValue('region')}
          optional
        >
          {problem('region')}
        </RegionSelect>
        <label>
          {fieldLabel(lang, 'supervisorId')}
          <select value={form.supervisorId} onChange={set('supervisorId')}>
            <option value="">—</option>
            {supervisors.map((m) => (
              <option key={m.staffId} value={m.staffId}>
                {m.name}
              </option>
            ))}
          </select>
          {problem('supervisorId')}
        </label>
        {problem('')}
        <button type="submit">{t('registerStaff')}</button>
      </form>
      {account && (
        <form className="card schema-form" onSubmit={(e) => void saveAccount(e)} aria-labelledby="account-title">
          <h2 id="account-title">
            {t('setPassword')}: {account.staffId}
          </h2>
          <label>
            {fieldLabel(lang, 'login')} *
            <input
              value={account.login}
              onChange={(e) => setAccount({ ...account, login: e.target.value })}
              required
              autoComplete="off"
            />
            {problem('login')}
          </label>
          <label>
            {t('temporaryPassword')} *
            <input
              value={account.password}
              onChange={(e) => setAccount({ ...account, password: e.target.value })}
              required
              minLength={12}
              autoComplete="new-password"
            />
            {problem('password')}
          </label>
          <button type="submit">{t('setPassword')}</button>
        </form>
      )}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('staff')}>
        <table className="text">
          <thead>
            <tr>
              <th scope="col">{fieldLabel(lang, 'name')}</th>
              <th scope="col">{fieldLabel(lang, 'staffId')}</th>
              <th scope="col">{fieldLabel(lang, 'role')}</th>
              <th scope="col">{fieldLabel(lang, 'region')}</th>
              <th scope="col">{fieldLabel(lang, 'supervisorId')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('setPassword')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff?.map((m) => (
              <tr key={m.staffId} className={m.active ? undefined : 'inactive'}>
                <th scope="row">{m.name}</th>
                <td>{m.staffId}</td>
                <td>{valueLabel(lang, m.role)}</td>
                <td>{m.region ?? '—'}</td>
                <td>{m.supervisorId ?? '—'}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      setAccount({ staffId: m.staffId, login: m.staffId.toLowerCase(), password: suggestPassword() })
                    }
                  >
                    {t('setPassword')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A random temporary password an administrator can read out: 16 letters and digits, never stored here. */
function suggestPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from(crypto.getRandomValues(new Uint32Array(16)), (n) => alphabet[n % alphabet.length]).join('');
}
