import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('sidecar metrics', () => {
  it('start the counters alerts read with increase() at 0, so the first rollback or refused reload shows', async () => {
    const m = new Metrics({ defaultMetrics: false });
    const reporter = m.reloadReporter();
    reporter.loaded('route', true);
    reporter.loaded('relay_key', true);
    const text = await m.registry.metrics();
    expect(text).toContain('bellwether_rollbacks_total{scope="pod",reason="error_rate"} 0');
    expect(text).toContain('bellwether_rollbacks_total{scope="pod",reason="p99_latency"} 0');
    expect(text).toContain('bellwether_config_reload_errors_total{file="route"} 0');
    reporter.refused('relay_key');
    expect(await m.registry.getSingleMetricAsString('bellwether_config_reload_errors_total')).toContain('file="relay_key"} 1');
  });
});
