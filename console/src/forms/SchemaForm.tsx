import { useState, type FormEvent, type ReactNode } from 'react';
import type { ProblemField } from '../api';
import { fieldLabel, refusalText, translate, valueLabel, type Language } from '../i18n';

/**
 * A form built from a command's JSON Schema, as GET /v1/cases/{id}/actions gives it (the schema the
 * API itself checks): objects become fieldsets, enums selects, date-times date and time pickers,
 * unions a choice of shape, lists of objects repeatable groups. The API's refusals come back as
 * problem fields by path and are shown at their field, in the user's language where the code is known.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  description?: string;
  default?: unknown;
  minItems?: number;
  maxLength?: number;
  const?: unknown;
}
type Value = unknown;
/** Values a field may take on this case, by field name (the open escalations for escalationId, say), shown as a choice. */
export type Choices = Record<string, { value: string; label: string }[]>;

export function SchemaForm({
  schema,
  lang,
  errors,
  submitLabel,
  busy,
  choices = {},
  onSubmit,
}: {
  schema: JsonSchema;
  lang: Language;
  errors: ProblemField[];
  submitLabel: string;
  busy: boolean;
  choices?: Choices;
  onSubmit: (value: Value) => void;
}) {
  const [value, setValue] = useState<Value>(() => withChoices(schema, initial(schema), choices));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(clean(schema, value));
  };
  const general = errors.filter((e) => e.path === '' || e.path === '$');
  return (
    <form className="schema-form" onSubmit={submit} noValidate>
      <Node
        schema={schema}
        path=""
        name=""
        value={value}
        onChange={setValue}
        lang={lang}
        errors={errors}
        choices={choices}
        required
      />
      {general.map((e, i) => (
        <p key={i} role="alert" className="error">
          {errorText(lang, e)}
        </p>
      ))}
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

/** A required field with choices starts at the first of them. */
function withChoices(s: JsonSchema, v: Value, choices: Choices): Value {
  if (s.type !== 'object' || !v || typeof v !== 'object') return v;
  const out = { ...(v as Record<string, Value>) };
  for (const k of s.required ?? []) if (choices[k]?.length && out[k] === undefined) out[k] = choices[k][0]!.value;
  return out;
}

function variants(s: JsonSchema): JsonSchema[] | undefined {
  return s.anyOf ?? s.oneOf;
}

function initial(s: JsonSchema): Value {
  if (s.default !== undefined) return structuredClone(s.default);
  const v = variants(s);
  if (v) return initial(v[0]!);
  if (s.type === 'object')
    return Object.fromEntries(
      Object.entries(s.properties ?? {})
        .filter(([k]) => s.required?.includes(k))
        .map(([k, p]) => [k, initial(p)]),
    );
  if (s.type === 'array') return Array.from({ length: s.minItems ?? 0 }, () => initial(s.items ?? {}));
  if (s.type === 'boolean') return false;
  if (s.enum) return s.enum[0];
  return undefined;
}

/** What is sent: empty optional fields left out, numbers as numbers. */
function clean(s: JsonSchema, v: Value): Value {
  const vs = variants(s);
  if (vs) return clean(vs.find((x) => fits(x, v)) ?? vs[0]!, v);
  if (s.type === 'object' && v && typeof v === 'object' && !Array.isArray(v)) {
    const out: Record<string, Value> = {};
    for (const [k, p] of Object.entries(s.properties ?? {})) {
      const c = clean(p, (v as Record<string, Value>)[k]);
      if (c !== undefined && c !== '' && !(Array.isArray(c) && c.length === 0 && !s.required?.includes(k))) out[k] = c;
    }
    return out;
  }
  if (s.type === 'array' && Array.isArray(v))
    return v.map((x) => clean(s.items ?? {}, x)).filter((x) => x !== undefined && x !== '');
  if ((s.type === 'integer' || s.type === 'number') && typeof v === 'string') return v === '' ? undefined : Number(v);
  return v;
}

/** A union's shape as a person picks it: by its tag (a discriminated union), else by the fields it takes. */
function shapeLabel(lang: Language, x: JsonSchema): string {
  const tag = Object.values(x.properties ?? {}).find((p) => p.const !== undefined || p.enum?.length === 1);
  if (tag) return valueLabel(lang, text(tag.const ?? tag.enum![0]));
  return (x.required ?? Object.keys(x.properties ?? {})).map((k) => fieldLabel(lang, k)).join(', ') || text(x.type);
}

/** Which shape of a union a value has: the one whose required fields it carries. */
function fits(s: JsonSchema, v: Value): boolean {
  return Boolean(v && typeof v === 'object' && (s.required ?? []).every((k) => k in v));
}

const errorText = (lang: Language, e: ProblemField) => refusalText(lang, e.code, e.message);

interface NodeProps {
  schema: JsonSchema;
  path: string;
  name: string;
  value: Value;
  onChange: (v: Value) => void;
  lang: Language;
  errors: ProblemField[];
  choices?: Choices;
  required?: boolean;
}

function Node(props: NodeProps): ReactNode {
  const { schema: s, path, name, value, onChange, lang, errors, required, choices = {} } = props;
  const id = `f-${path || 'root'}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const label = name ? `${fieldLabel(lang, name)}${required ? ' *' : ''}` : '';
  const mine = errors.filter((e) => e.path === path && path !== '');
  const hint = mine.length ? `${id}-error` : undefined;
  const problems = mine.map((e, i) => (
    <span key={i} id={hint} className="field-error" role="alert">
      {errorText(lang, e)}
    </span>
  ));

  const vs = variants(s);
  if (vs) {
    const chosen = Math.max(
      0,
      vs.findIndex((x) => fits(x, value)),
    );
    return (
      <fieldset className="union">
        {label && <legend>{label}</legend>}
        <label>
          {translate(lang, 'chooseShape')}
          <select id={id} value={chosen} onChange={(e) => onChange(initial(vs[Number(e.target.value)]!))}>
            {vs.map((x, i) => (
              <option key={i} value={i}>
                {shapeLabel(lang, x)}
              </option>
            ))}
          </select>
        </label>
        <Node {...props} schema={vs[chosen]!} name="" required={false} />
        {problems}
      </fieldset>
    );
  }
  if (s.type === 'object') {
    const obj = (value && typeof value === 'object' ? value : {}) as Record<string, Value>;
    const body = Object.entries(s.properties ?? {}).map(([k, p]) => (
      <Node
        key={k}
        schema={p}
        path={path ? `${path}.${k}` : k}
        name={k}
        value={obj[k]}
        lang={lang}
        errors={errors}
        choices={choices}
        required={s.required?.includes(k)}
        onChange={(v) => onChange({ ...obj, [k]: v })}
      />
    ));
    return name ? (
      <fieldset>
        <legend>{label}</legend>
        {body}
        {problems}
      </fieldset>
    ) : (
      <>
        {body}
        {problems}
      </>
    );
  }
  if (s.type === 'array') {
    const list = Array.isArray(value) ? value : [];
    const item = s.items ?? {};
    if (item.type === 'string' && !item.enum) {
      return (
        <label>
          {label}
          <textarea
            id={id}
            aria-describedby={hint}
            rows={3}
            value={list.join('\n')}
            onChange={(e) => onChange(e.target.value.split('\n'))}
          />
          <small className="hint">{translate(lang, 'onePerLine')}</small>
          {problems}
        </label>
      );
    }
    return (
      <fieldset>
        <legend>{label}</legend>
        {list.map((x, i) => (
          <div key={i} className="item">
            <Node
              schema={item}
              path={`${path}[${i}]`}
              name=""
              value={x}
              lang={lang}
              errors={errors}
              choices={choices}
              onChange={(v) => onChange(list.map((y, j) => (j === i ? v : y)))}
            />
            <button type="button" className="link" onClick={() => onChange(list.filter((_, j) => j !== i))}>
              {translate(lang, 'remove')}
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => onChange([...list, initial(item)])}>
          {translate(lang, 'add')}
        </button>
        {problems}
      </fieldset>
    );
  }
  const common = { id, 'aria-describedby': hint, 'aria-invalid': mine.length ? true : undefined, required };
  let input: ReactNode;
  const offered = s.type === 'string' && !s.enum ? choices[name] : undefined;
  if (offered?.length) {
    input = (
      <select
        {...common}
        value={text(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      >
        {!required && <option value="">—</option>}
        {offered.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  } else if (s.enum) {
    input = (
      <select
        {...common}
        value={text(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      >
        {!required && <option value="">—</option>}
        {s.enum.map((x) => (
          <option key={String(x)} value={String(x)}>
            {valueLabel(lang, String(x))}
          </option>
        ))}
      </select>
    );
  } else if (s.type === 'boolean') {
    return (
      <label className="check">
        <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />{' '}
        {label}
        {problems}
      </label>
    );
  } else if (s.format === 'date-time') {
    input = (
      <input
        {...common}
        type="datetime-local"
        value={typeof value === 'string' ? toLocalInput(value) : ''}
        onChange={(e) => onChange(e.target.value ? new Date(e.target.value).toISOString() : undefined)}
      />
    );
  } else if (s.format === 'date') {
    input = (
      <input {...common} type="date" value={text(value)} onChange={(e) => onChange(e.target.value || undefined)} />
    );
  } else if (s.type === 'integer' || s.type === 'number') {
    input = (
      <input
        {...common}
        type="number"
        inputMode="numeric"
        value={text(value)}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else if ((s.maxLength ?? 0) > 300) {
    input = <textarea {...common} rows={3} value={text(value)} onChange={(e) => onChange(e.target.value)} />;
  } else {
    input = <input {...common} value={text(value)} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <label>
      {label}
      {input}
      {problems}
    </label>
  );
}

/** A scalar as an input shows it (objects never reach a text input: the schema gives them fieldsets). */
function text(v: Value): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** An ISO instant as the local date and time a datetime-local input shows. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
