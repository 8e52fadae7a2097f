/**
 * The operator's reading of `/status` must accept what the sidecar writes.
 * A compile-time check: if sidecar/admin/status.ts changes a field's name or
 * type, `npx tsc` fails on the assignment below, not in a cluster.
 */
import { expect, it } from 'vitest';
import type { statusDocument } from '../sidecar/admin/status.js';
import type { SidecarStatus } from './sidecar-status.js';

const asRead = (doc: ReturnType<typeof statusDocument>): SidecarStatus => doc;

it('accepts every document sidecar/admin/status.ts produces (checked by tsc)', () => {
  expect(typeof asRead).toBe('function');
});
