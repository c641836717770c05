import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, type ProblemField } from '../api';
import { refusalText, translate, valueLabel, type Language } from '../i18n';

/**
 * What the hand-made forms (opening a case, staff) share: the API's refusals shown at their
 * fields, a select of the API's own values in the user's words, and the regions to choose from.
 */
export function useRefusals(lang: Language) {
  const [refused, setRefused] = useState<ProblemField[]>([]);
  const refuse = (err: unknown) =>
    setRefused(
      err instanceof ApiError
        ? err.errors.length
          ? err.errors
          : [{ location: 'body', path: '', message: err.detail ?? err.title }]
        : [{ location: 'body', path: '', message: translate(lang, 'errorTitle') }],
    );
  /** The refusals at a path ('' for the request as a whole; `others` also takes those no field of the form shows). */
  const at = (path: string, others: string[] = []): ReactNode =>
    refused
      .filter((r) => r.path === path || (path === '' && others.length > 0 && !others.includes(r.path)))
      .map((r, i) => (
        <span key={i} className="field-error" role="alert">
          {refusalText(lang, r.code, r.message)}
        </span>
      ));
  return { clear: () => setRefused([]), refuse, at };
}

export function ValueSelect({
  label,
  lang,
  value,
  values,
  onChange,
  optional,
  children,
}: {
  label: string;
  lang: Language;
  value: string;
  values: readonly string[];
  onChange: (v: string) => void;
  optional?: boolean;
  children?: ReactNode;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {optional && <option value="">—</option>}
        {values.map((v) => (
          <option key={v} value={v}>
            {valueLabel(lang, v)}
          </option>
        ))}
      </select>
      {children}
    </label>
  );
}

export interface Region {
  code: string;
  nameUk: string;
  nameEn: string;
}

/** Ukraine's regions (GET /v1/regions), for a choice by name that sends the code. */
export function RegionSelect({
  label,
  lang,
  value,
  onChange,
  optional,
  children,
}: {
  label: string;
  lang: Language;
  value: string;
  onChange: (code: string) => void;
  optional?: boolean;
  children?: ReactNode;
}) {
  const [regions, setRegions] = useState<Region[]>([]);
  useEffect(() => {
    api<{ regions: Region[] }>('GET', '/v1/regions').then(
      (r) => {
        setRegions(r.regions);
        if (!optional && !value && r.regions[0]) onChange(r.regions[0].code);
      },
      () => undefined,
    );
  }, []);
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} required={!optional}>
        {optional && <option value="">—</option>}
        {regions.map((r) => (
          <option key={r.code} value={r.code}>
            {lang === 'uk' ? r.nameUk : r.nameEn}
          </option>
        ))}
      </select>
      {children}
    </label>
  );
}
