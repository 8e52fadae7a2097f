/**
 * The HTTP status of a failed @kubernetes/client-node 1.x call (an
 * `ApiException` carries it as `code`), and the few the webhook acts on.
 */

export function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export const isNotFound = (e: unknown): boolean => statusOf(e) === 404;
/** 409: AlreadyExists on create, Conflict (stale resourceVersion) on update. */
export const isConflict = (e: unknown): boolean => statusOf(e) === 409;

/** The API server's message from a Status body, or the error's own. */
export function messageOf(e: unknown): string {
  const body = (e as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      /* not JSON */
    }
  }
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  return e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
}
