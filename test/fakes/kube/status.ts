/**
 * Every error the fake API server answers, in the Kubernetes `Status` shape and
 * with the real server's codes, reasons and message wording (one catalogue).
 */
import { resourceKey, type ResourceInfo } from './types.js';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** Thrown by the store and handlers; the HTTP layer writes `status` with `code`. */
export class ApiError extends Error {
  readonly status: StatusBody;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details) this.status.details = details;
  }
  get code(): number {
    return this.status.code;
  }
}

type Res = Pick<ResourceInfo, 'group' | 'resource'>;
const gr = (r: Res): string => resourceKey(r);
const details = (r: Res, name?: string): StatusDetails => ({
  ...(name !== undefined ? { name } : {}),
  ...(r.group ? { group: r.group } : {}),
  kind: r.resource,
});

export const notFound = (r: Res, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${gr(r)} "${name}" not found`, details(r, name));

export const alreadyExists = (r: Res, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${gr(r)} "${name}" already exists`, details(r, name));

export const conflict = (r: Res, name: string): ApiError =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${gr(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(r, name),
  );

/** 422: `<Kind>.<group> "<name>" is invalid: <cause>` or `…: [<cause>, <cause>]`. */
export function invalid(r: ResourceInfo, name: string, causes: StatusCause[]): ApiError {
  const text = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const joined = text.length === 1 ? text[0]! : `[${text.join(', ')}]`;
  const kind = r.group ? `${r.kind}.${r.group}` : r.kind;
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${joined}`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.kind,
    causes,
  });
}

/** 422 without a kind, as the patcher answers when a JSON patch cannot be applied. */
export const unprocessable = (message: string): ApiError => new ApiError(422, 'Invalid', message);

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const expired = (message: string): ApiError => new ApiError(410, 'Expired', message);

export const gone = (message: string): ApiError => new ApiError(410, 'Gone', message);

export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized');

export function forbidden(a: { user: string; verb: string; group: string; resource: string; namespace?: string; name?: string }): ApiError {
  const what = a.name ? `${a.resource} "${a.name}"` : a.resource;
  const where = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  const message = `${what} is forbidden: User "${a.user}" cannot ${a.verb} resource "${a.resource}" in API group "${a.group}"${where}`;
  return new ApiError(403, 'Forbidden', message, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.group ? { group: a.group } : {}),
    kind: a.resource.split('/')[0],
  });
}

export const unsupportedMediaType = (): ApiError =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  );

export const methodNotAllowed = (verb: string): ApiError =>
  new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${verb})`);

export const internalError = (message: string): ApiError =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message }] });

export const tooLargeResourceVersion = (rv: string, current: number): ApiError =>
  new ApiError(504, 'Timeout', `Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
