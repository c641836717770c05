import { z } from 'zod';

/**
 * The API edge is strict: an object in a request body or query that holds a field its schema does
 * not name is refused (400, `unrecognized_keys`, naming the fields), so a caller learns at once that
 * `openedAt` (say) is not something it can set, instead of having it dropped without a word.
 *
 * The schemas themselves stay as they are (zod's default strips unknown keys), because the same
 * schemas parse commands inside the workflow and the payloads stored in histories, which must keep
 * parsing as they were recorded. So the edge parses with a deep copy in which every plain object is
 * strict; `passthrough`/`loose` objects (which mean to accept more) are left so.
 */
type Def = Record<string, unknown> & { type: string };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

const strictCopies = new WeakMap<z.ZodType, z.ZodType>();

export function strictAtEdge<S extends z.ZodType>(schema: S): S {
  let copy = strictCopies.get(schema);
  if (!copy) {
    copy = rebuild(schema);
    strictCopies.set(schema, copy);
  }
  return copy as S;
}

function rebuild(schema: z.ZodType): z.ZodType {
  const def = defOf(schema);
  const inner = (key: string) => strictAtEdge(def[key] as z.ZodType);
  // A copy with its parent linked keeps the original's description and examples (zod's registry).
  const copy = (changes: Record<string, unknown>) =>
    z.core.clone(schema, { ...def, ...changes } as never, { parent: true });
  switch (def.type) {
    case 'object': {
      const shape = Object.fromEntries(
        Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [k, strictAtEdge(v)]),
      );
      return copy({ shape, catchall: def.catchall ?? z.never() });
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return copy({ innerType: inner('innerType') });
    case 'array':
      return copy({ element: inner('element') });
    case 'union':
      return copy({ options: (def.options as z.ZodType[]).map(strictAtEdge) });
    case 'pipe':
      return copy({ in: inner('in'), out: inner('out') });
    case 'record':
      return copy({ valueType: inner('valueType') });
    default:
      return schema;
  }
}

/**
 * Names the shapes a union accepts, for its error: `{"extension":{"hours":24}}` is told
 * `expected one of: { until } | { by }` rather than zod's "Invalid input". Passed to every parse
 * at the edge (api/route.ts), so every union of every route says it, nested ones too.
 */
export const unionShapes: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_union' || !issue.inst) return undefined;
  const options = (defOf(issue.inst as z.ZodType).options as z.ZodType[] | undefined) ?? [];
  return options.length ? `Expected one of: ${options.map((o) => shapeOf(o)).join(' | ')}` : undefined;
};

/** A short, readable picture of what a schema accepts: `{ type: "rnokpp", number }`, `"open" | "closed"`, `[…]`. */
function shapeOf(schema: z.ZodType, depth = 0): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const fields = Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => {
        const d = defOf(v);
        if (d.type === 'literal') return `${k}: ${shapeOf(v)}`;
        return d.type === 'optional' || d.type === 'default' ? `${k}?` : k;
      });
      return `{ ${fields.join(', ')} }`;
    }
    case 'literal':
      return (def.values as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>)
        .map((v) => JSON.stringify(v))
        .join(' | ');
    case 'array':
      return depth > 1 ? 'a list' : `[${shapeOf(def.element as z.ZodType, depth + 1)}, …]`;
    case 'pipe':
      return shapeOf(def.in as z.ZodType, depth);
    case 'optional':
    case 'nullable':
    case 'default':
      return shapeOf(def.innerType as z.ZodType, depth);
    default:
      return `a ${def.type}`;
  }
}
