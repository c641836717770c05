import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useApp } from '../app-context';
import { RegionSelect, useRefusals, ValueSelect } from '../forms/fields';
import { fieldLabel } from '../i18n';
import { priorities } from '../../../domain/vocabulary';

/** Opening a case as a person does at intake: where, how urgent, who (POST /v1/cases). */
export function NewCase({ onOpened }: { onOpened: (caseId: string) => void }) {
  const { t, lang, session } = useApp();
  // The person's own region first: most cases are opened where they work.
  const [form, setForm] = useState({
    region: session.region ?? '',
    priority: 'routine',
    fullName: '',
    phone: '',
    birthDate: '',
  });
  const refusals = useRefusals(lang);
  // One Idempotency-Key for the form: sent again after a timeout, it opens one case.
  const [key] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    refusals.clear();
    const client = form.fullName.trim()
      ? {
          fullName: form.fullName.trim(),
          ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
          ...(form.birthDate ? { birthDate: form.birthDate } : {}),
        }
      : undefined;
    try {
      const r = await api<{ caseId: string }>(
        'POST',
        '/v1/cases',
        { region: form.region, priority: form.priority, ...(client ? { client } : {}) },
        { 'idempotency-key': key, prefer: 'return=minimal' },
      );
      onOpened(r.caseId);
    } catch (err) {
      refusals.refuse(err);
    } finally {
      setBusy(false);
    }
  };
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const fields = ['region', 'client.fullName', 'client.phone', 'client.birthDate'];

  return (
    <form className="card schema-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-case-title">
      <h2 id="new-case-title">{t('openCase')}</h2>
      <RegionSelect label={`${fieldLabel(lang, 'region')} *`} lang={lang} value={form.region} onChange={set('region')}>
        {refusals.at('region')}
      </RegionSelect>
      <ValueSelect
        label={fieldLabel(lang, 'priority')}
        lang={lang}
        value={form.priority}
        values={priorities}
        onChange={set('priority')}
      />
      <fieldset>
        <legend>{t('client')}</legend>
        <label>
          {fieldLabel(lang, 'fullName')}
          <input value={form.fullName} onChange={(e) => set('fullName')(e.target.value)} autoComplete="off" />
          {refusals.at('client.fullName')}
        </label>
        <label>
          {fieldLabel(lang, 'phone')}
          <input value={form.phone} onChange={(e) => set('phone')(e.target.value)} inputMode="tel" autoComplete="off" />
          {refusals.at('client.phone')}
        </label>
        <label>
          {fieldLabel(lang, 'birthDate')}
          <input type="date" value={form.birthDate} onChange={(e) => set('birthDate')(e.target.value)} />
          {refusals.at('client.birthDate')}
        </label>
      </fieldset>
      {refusals.at('', fields)}
      <button type="submit" disabled={busy || session.role === 'head'}>
        {t('openCase')}
      </button>
    </form>
  );
}
