import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type ProblemField } from '../api';
import { useApp } from '../app-context';
import { fieldLabel, refusalText, valueLabel } from '../i18n';
import { priorities } from '../../../domain/vocabulary';

interface Region {
  code: string;
  nameUk: string;
  nameEn: string;
}

/** Opening a case as a person does at intake: where, how urgent, who (POST /v1/cases). */
export function NewCase({ onOpened }: { onOpened: (caseId: string) => void }) {
  const { t, lang, session } = useApp();
  const [regions, setRegions] = useState<Region[]>([]);
  const [form, setForm] = useState({ region: '', priority: 'routine', fullName: '', phone: '', birthDate: '' });
  const [refused, setRefused] = useState<ProblemField[]>([]);
  const [key] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ regions: Region[] }>('GET', '/v1/regions').then((r) => {
      setRegions(r.regions);
      setForm((f) => (f.region ? f : { ...f, region: r.regions[0]?.code ?? '' }));
    }, () => undefined);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setRefused([]);
    const client = form.fullName.trim() ? { fullName: form.fullName.trim(), ...(form.phone.trim() ? { phone: form.phone.trim() } : {}), ...(form.birthDate ? { birthDate: form.birthDate } : {}) } : undefined;
    try {
      const r = await api<{ caseId: string }>('POST', '/v1/cases', { region: form.region, priority: form.priority, ...(client ? { client } : {}) }, { 'idempotency-key': key, prefer: 'return=minimal' });
      onOpened(r.caseId);
    } catch (err) {
      setRefused(err instanceof ApiError ? (err.errors.length ? err.errors : [{ location: 'body', path: '', message: err.detail ?? err.title }]) : [{ location: 'body', path: '', message: t('errorTitle') }]);
    } finally {
      setBusy(false);
    }
  };
  const problem = (path: string) =>
    refused
      .filter((r) => r.path === path)
      .map((r, i) => (
        <span key={i} className="field-error" role="alert">
          {refusalText(lang, r.code, r.message)}
        </span>
      ));
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  return (
    <form className="card schema-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-case-title">
      <h2 id="new-case-title">{t('openCase')}</h2>
      <label>
        {fieldLabel(lang, 'region')} *
        <select value={form.region} onChange={set('region')} required>
          {regions.map((r) => (
            <option key={r.code} value={r.code}>
              {lang === 'uk' ? r.nameUk : r.nameEn}
            </option>
          ))}
        </select>
        {problem('region')}
      </label>
      <label>
        {fieldLabel(lang, 'priority')}
        <select value={form.priority} onChange={set('priority')}>
          {priorities.map((p) => (
            <option key={p} value={p}>
              {valueLabel(lang, p)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('client')}</legend>
        <label>
          {fieldLabel(lang, 'fullName')}
          <input value={form.fullName} onChange={set('fullName')} autoComplete="off" />
          {problem('client.fullName')}
        </label>
        <label>
          {fieldLabel(lang, 'phone')}
          <input value={form.phone} onChange={set('phone')} inputMode="tel" autoComplete="off" />
          {problem('client.phone')}
        </label>
        <label>
          {fieldLabel(lang, 'birthDate')}
          <input type="date" value={form.birthDate} onChange={set('birthDate')} />
          {problem('client.birthDate')}
        </label>
      </fieldset>
      {refused
        .filter((r) => !['region', 'client.fullName', 'client.phone', 'client.birthDate'].includes(r.path))
        .map((r, i) => (
          <p key={i} role="alert" className="error">
            {refusalText(lang, r.code, r.message)}
          </p>
        ))}
      <button type="submit" disabled={busy || session.role === 'head'}>
        {t('openCase')}
      </button>
    </form>
  );
}
