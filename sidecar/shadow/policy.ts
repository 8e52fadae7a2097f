/**
 * `spec.shadow` as the CRD stores it (defaults applied) and as the sidecar
 * uses it. The field is optional: absent, nothing is shadowed. Its
 * documentation for `kubectl explain` is in crds/relayroute.yaml.
 */

/** `spec.shadow` after validation: every defaulted field is present. */
export interface ShadowSpec {
  /** Percent (0–100) of the requests the official side serves that are also copied to the relay. */
  weight: number;
  /** Text similarity (0–1) at or above which two answers count as the same (similarity.ts). */
  minSimilarity: number;
  /** Copies in flight per sidecar; over it a copy is skipped and counted, never queued. */
  maxConcurrent: number;
  /** With canary.steps: judged pairs the fleet's window must hold before the first step. */
  minPairs: number;
  /** With canary.steps: the share of equivalent pairs (0–1) the first step waits for. */
  minEquivalence: number;
}

/** The compiled policy: the same numbers (no units to convert). */
export type ShadowPolicy = Readonly<ShadowSpec>;

export function compileShadow(spec: ShadowSpec | undefined): { shadow?: ShadowPolicy } {
  if (spec === undefined) return {};
  const { weight, minSimilarity, maxConcurrent, minPairs, minEquivalence } = spec;
  return { shadow: { weight, minSimilarity, maxConcurrent, minPairs, minEquivalence } };
}
