/**
 * Golden files: compare rendered output with the file in testdata/, or
 * rewrite the file when run with UPDATE_GOLDEN=1:
 *
 *   UPDATE_GOLDEN=1 npx vitest run operator/
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export const updating = process.env['UPDATE_GOLDEN'] === '1';

export function expectGolden(file: URL, actual: string): void {
  const path = file.pathname;
  if (updating) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `${path} is missing; run with UPDATE_GOLDEN=1 to create it`).toBe(true);
  expect(actual, `${path} differs; if the change is intended, run with UPDATE_GOLDEN=1`).toBe(readFileSync(path, 'utf8'));
}
