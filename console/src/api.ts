/**
 * The console talks to the same /v1 API as every tool. A signed-in person is known by the session
 * cookie (httpOnly, set by POST /v1/sessions); every write also carries the CSRF token the session
 * gave, which a page from another site cannot read.
 */
export interface ProblemField {
  location: string;
  path: string;
  message: string;
  code?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: ProblemField[],
    readonly body: Record<string, unknown>,
  ) {
    super(detail ?? title);
  }
}

let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const p = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    throw new ApiError(
      res.status,
      typeof p.title === 'string' ? p.title : res.statusText,
      typeof p.detail === 'string' ? p.detail : undefined,
      Array.isArray(p.errors) ? (p.errors as ProblemField[]) : [],
      p,
    );
  }
  return data as T;
}

/** The API's own shapes, as its routes answer them (types only: nothing of the server is bundled). */
export type { CaseSummary } from '../../db/case-list';
export type { InboxItem } from '../../db/notifications';
export type { StaffSession as Session } from '../../db/staff-accounts';
