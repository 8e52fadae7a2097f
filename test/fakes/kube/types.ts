/**
 * Shapes shared by the fake API server's modules. Objects are plain JSON, as
 * they are on the wire; nothing here knows about HTTP.
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A JSON Schema node of a CRD's structural schema (the parts the fake reads). */
export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [key: string]: unknown;
}

/** One served resource: what discovery lists and what the router resolves a path to. */
export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  resource: string; // plural
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Has the status subresource: main writes keep the stored status; /status writes change only status. */
  status: boolean;
  /** A custom resource: strategic merge patch is refused (415). */
  custom: boolean;
  /** Structural schema (custom resources only): pruning, defaulting, validation. */
  schema?: SchemaNode;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One entry of the store's bounded history; `old` is the object before a MODIFIED/DELETED. */
export interface StoreEvent {
  rv: number;
  type: WatchEventType;
  key: string; // resource key, see resourceKey()
  object: KubeObject;
  old?: KubeObject;
}

export function resourceKey(r: Pick<ResourceInfo, 'group' | 'resource'>): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export function apiVersionOf(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
