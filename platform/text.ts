/**
 * Text that cannot be stored as given: U+0000 (PostgreSQL's text and jsonb refuse it, SQLSTATE
 * 22P05) and an unpaired UTF-16 surrogate (not Unicode: UTF-8 cannot encode it, so PostgreSQL would
 * get U+FFFD instead and store the text altered). In `u` mode a surrogate pair is one code point,
 * so \p{Cs} matches only the unpaired ones.
 */
const unstorable = /[\u0000\p{Cs}]/u;
const unstorableAll = /[\u0000\p{Cs}]/gu;

export type PathSegment = string | number;

/** A field's JSON path as integrators write it: `household[0].fullName`, `headers["x y"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => {
      if (typeof k === 'number') return `[${k}]`;
      const name = String(k);
      // JSON.stringify escapes NUL and lone surrogates, so a bad key is named without quoting it raw.
      return /^[A-Za-z_$][\w$-]*$/.test(name) ? (i === 0 ? name : `.${name}`) : `[${JSON.stringify(name)}]`;
    })
    .join('');
}

export interface UnstorableText {
  path: PathSegment[];
  /** The string is an object's key rather than a value. */
  inKey: boolean;
  what: 'nul' | 'lone_surrogate';
}

function what(s: string): UnstorableText['what'] {
  return s.includes('\u0000') ? 'nul' : 'lone_surrogate';
}

/**
 * Every string (value or key) in a JSON-like value that cannot be stored, up to `limit` of them.
 * Walks with its own stack, so a deeply nested body cannot overflow the call stack.
 */
export function findUnstorableText(value: unknown, limit = 20): UnstorableText[] {
  const found: UnstorableText[] = [];
  const stack: { value: unknown; path: PathSegment[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && found.length < limit) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (unstorable.test(v)) found.push({ path, inKey: false, what: what(v) });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        if (unstorable.test(k)) found.push({ path: [...path, k], inKey: true, what: what(k) });
        stack.push({ value: child, path: [...path, k] });
      }
    }
  }
  return found.slice(0, limit);
}

/**
 * The same value with every unstorable character replaced by U+FFFD (the replacement character),
 * so the change is visible where it is read; `changed` says whether there was anything to replace.
 */
export function withStorableText<T>(value: T): { value: T; changed: boolean } {
  let changed = false;
  const clean = (s: string) => {
    if (!unstorable.test(s)) return s;
    changed = true;
    return s.replace(unstorableAll, '\uFFFD');
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v).map(([k, child]) => [clean(k), walk(child)]));
    }
    return v;
  };
  return { value: walk(value) as T, changed };
}
