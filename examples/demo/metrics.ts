/**
 * Samples read from the sidecar's /metrics text (the Prometheus exposition
 * format): by name, summed over matching labels, or grown between two scrapes.
 */

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Every sample of one metric. */
export function samples(text: string, name: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of the samples whose labels include `labels`. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  return samples(text, name)
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

/** Per label set, how much a counter grew between two scrapes (label sets that did not grow are left out). */
export function growth(before: string, after: string, name: string): Sample[] {
  const key = (l: Record<string, string>): string => JSON.stringify(Object.entries(l).sort());
  const old = new Map(samples(before, name).map((s) => [key(s.labels), s.value]));
  return samples(after, name)
    .map((s) => ({ labels: s.labels, value: s.value - (old.get(key(s.labels)) ?? 0) }))
    .filter((s) => s.value > 0);
}

/** Per (side, model), the state whose one-hot `bellwether_circuit_state` series is 1. */
export function circuitStates(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of samples(text, 'bellwether_circuit_state')) {
    if (s.value === 1) out.set(`${s.labels['side']}/${s.labels['model']}`, s.labels['state']!);
  }
  return out;
}
