/**
 * AdmissionReview v1 (admission.k8s.io/v1), the parts a mutating webhook
 * reads and writes. @kubernetes/client-node has no type for it.
 */

export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource?: { group: string; version: string; resource: string };
  subResource?: string;
  /** The namespace of the object; a Pod created by a controller often has no metadata.namespace yet. */
  namespace?: string;
  name?: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  object?: unknown;
  dryRun?: boolean;
}

export interface AdmissionReview {
  apiVersion: string;
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  patchType?: 'JSONPatch';
  /** base64 of the JSON patch. */
  patch?: string;
  warnings?: string[];
}

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
