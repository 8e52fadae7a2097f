/**
 * The route file and key files, watched. A sidecar starts from the files
 * alone (no operator needed) and applies changes without a restart:
 *
 * - changes are noticed by fs.watch on the files' directories (immediate;
 *   also sees Kubernetes' `..data` symlink swap of mounted ConfigMaps and
 *   Secrets) and by a content poll every `pollMs` as the fallback;
 * - an invalid new route, or an empty key file, is refused: the last good
 *   copy keeps serving, `bellwether_config_reload_errors_total{file}` counts
 *   it, `bellwether_config_last_reload_successful{file}` drops to 0, and a
 *   log line says why;
 * - a file is read without ever blocking (regular-file.ts): a FIFO, device
 *   or directory in its place, or a file over 1 MiB, is refused like an
 *   invalid one;
 * - a route without `metadata.generation` (standalone files) gets a local
 *   generation that increases whenever its spec changes, so "a rollback holds
 *   until the generation changes" means the same thing in both modes;
 * - `route reloaded` is logged at info for a new generation or a new
 *   operator decision (weight, phase, rollback, step), and at debug when
 *   only the fleet's budget figure changed: the operator rewrites that one
 *   as the fleet spends, and it is on /status (`budget.fleet`) anyway.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log.js';
import type { Route } from './route.js';
import type { Keys } from './keys.js';
import { loadRouteText } from './compile.js';
import { readRegularFile } from './regular-file.js';

export interface KeySource {
  file?: string;
  /** A key given directly (from the environment); used when there is no file. */
  value?: string;
}

/** Per watched file: did its last load succeed, and why not. Shown in `/status`. */
export interface ConfigHealth {
  files: Record<string, { ok: boolean; error?: string }>;
}

/** A watched source: the files, and `route_api`, the rendered ConfigMap followed through the API server. */
export type FileName = 'route' | 'route_api' | 'relay_key' | 'official_key' | 'redis_password';

/**
 * Where load results go besides the log: the sidecar reports them as
 * metrics; tests and `--check` need nothing (`silentReporter`).
 */
export interface ReloadReporter {
  /** The file's last load succeeded (true) or it is serving an older good copy (false). */
  loaded(file: FileName, ok: boolean): void;
  /** A changed file could not be applied. */
  refused(file: FileName): void;
}

export const silentReporter: ReloadReporter = { loaded: () => undefined, refused: () => undefined };

export interface SourceOptions {
  routeFile: string;
  relayKey: KeySource;
  officialKey: KeySource;
  /** The Redis password (spec.cache.redis.passwordSecretRef); its file may be missing (an optional Secret volume). */
  redisPassword?: KeySource;
  pollMs: number;
  log: Logger;
  reporter?: ReloadReporter;
  /**
   * Is the API server copy live (the watch connected)? While it is, the mounted
   * file applies only with a newer generation; when the watch is down, the file
   * is the freshest copy there is and applies as usual. Default: never live.
   */
  apiLive?: () => boolean;
}

const KEYS = ['relay', 'official', 'redis'] as const satisfies readonly (keyof Keys)[];

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly errors: string[],
  ) {
    super(`${file}: ${errors.join('; ')}`);
  }
}

export class ConfigSource {
  readonly health: ConfigHealth = { files: {} };
  private readonly texts = new Map<FileName, string>();
  private lastSpec = '';
  private localGeneration = 0;
  private keys: Keys = {};
  private timer: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | undefined;
  /** The generation being served, and whether the API server copy has been applied (then the file only applies if newer). */
  private servingGeneration = 0;
  private apiSeen = false;
  private onRoute: ((r: Route) => void) | undefined;
  /** The route last applied: what a reload is compared with for its log level. */
  private served: Route | undefined;

  constructor(private readonly opts: SourceOptions) {}

  /** Load everything once; throws ConfigError when the route cannot be used at start. */
  load(): { route: Route; keys: Keys } {
    const text = this.read('route', this.opts.routeFile);
    if (text === undefined) throw new ConfigError(this.opts.routeFile, [this.health.files.route?.error ?? 'cannot read the route file']);
    const r = this.compile(text);
    if (!r.ok) throw new ConfigError(this.opts.routeFile, r.errors);
    this.texts.set('route', text);
    this.mark('route', true);
    this.servingGeneration = r.route.generation;
    this.served = r.route;
    this.keys = {};
    for (const which of KEYS) this.loadKey(which, false);
    return { route: r.route, keys: { ...this.keys } };
  }

  /** Watch for changes; callbacks get only what changed and is valid. */
  start(onRoute: (r: Route) => void, onKeys: (k: Keys) => void): void {
    this.onRoute = onRoute;
    const check = (): void => this.check(onRoute, onKeys);
    this.timer = setInterval(check, this.opts.pollMs);
    this.timer.unref();
    const files = [this.opts.routeFile, this.opts.relayKey.file, this.opts.officialKey.file, this.opts.redisPassword?.file].filter((f): f is string => !!f);
    for (const dir of new Set(files.map((f) => dirname(f)))) {
      try {
        const w = watch(dir, { persistent: false }, () => {
          clearTimeout(this.debounce);
          this.debounce = setTimeout(check, 20);
        });
        w.on('error', () => undefined);
        this.watchers.push(w);
      } catch {
        // The poll still covers it.
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private check(onRoute: (r: Route) => void, onKeys: (k: Keys) => void): void {
    const text = this.read('route', this.opts.routeFile);
    if (text !== undefined && text !== this.texts.get('route')) {
      this.texts.set('route', text);
      const r = this.compile(text);
      if (r.ok && this.apiSeen && (this.opts.apiLive?.() ?? false) && r.route.generation <= this.servingGeneration) {
        // The kubelet refreshes the mounted copy up to a minute late: never go back to it.
        this.mark('route', true);
      } else if (r.ok) {
        this.mark('route', true);
        this.servingGeneration = r.route.generation;
        this.logReload(r.route, { generation: r.route.generation, weight: r.route.canary.weight, from: 'file' });
        onRoute(r.route);
      } else {
        this.refuse('route', r.errors);
      }
    }
    const before = JSON.stringify(this.keys);
    for (const which of KEYS) this.loadKey(which, true);
    if (JSON.stringify(this.keys) !== before) {
      const redis = this.opts.redisPassword ? { redisPassword: this.keys.redis ? 'loaded' : 'missing' } : {};
      this.opts.log.info({ relayKey: this.keys.relay ? 'loaded' : 'missing', ...redis }, 'API keys reloaded');
      onKeys({ ...this.keys });
    }
  }

  /**
   * A copy of the route from the API server (configmap-watch.ts): applied
   * when valid — the watch delivers changes in order, so it is newest — and
   * from then on the mounted file applies only when it carries a newer
   * generation.
   */
  offerApiRoute(text: string): void {
    if (text === this.texts.get('route_api')) return;
    this.texts.set('route_api', text);
    const r = this.compile(text);
    if (!r.ok) {
      this.refuse('route_api', r.errors);
      return;
    }
    this.mark('route_api', true);
    this.apiSeen = true;
    this.servingGeneration = Math.max(this.servingGeneration, r.route.generation);
    this.logReload(r.route, { generation: r.route.generation, weight: r.route.operator?.effectiveWeight ?? r.route.canary.weight, from: 'api' });
    this.onRoute?.(r.route);
  }

  /** Info for a new generation or operator decision; debug when only the fleet's budget figure moved. */
  private logReload(route: Route, fields: Record<string, unknown>): void {
    const prev = this.served;
    this.served = route;
    const decisions = (r: Route): string => JSON.stringify({ ...r.operator, budgetSpent: undefined });
    const figureOnly = prev !== undefined && prev.generation === route.generation && decisions(prev) === decisions(route);
    if (figureOnly) this.opts.log.debug({ ...fields, budgetSpent: route.operator?.budgetSpent?.routeUSD }, 'route reloaded');
    else this.opts.log.info(fields, 'route reloaded');
  }

  private compile(text: string): { ok: true; route: Route } | { ok: false; errors: string[] } {
    const r = loadRouteText(text, this.localGeneration || 1);
    if (!r.ok) return r;
    if (r.doc.metadata?.generation !== undefined) return { ok: true, route: r.route };
    const spec = JSON.stringify(r.doc.spec);
    if (spec !== this.lastSpec) {
      this.lastSpec = spec;
      this.localGeneration++;
    }
    return { ok: true, route: { ...r.route, generation: this.localGeneration } };
  }

  private loadKey(which: keyof Keys, reload: boolean): void {
    const src = which === 'relay' ? this.opts.relayKey : which === 'official' ? this.opts.officialKey : this.opts.redisPassword;
    const name: FileName = which === 'relay' ? 'relay_key' : which === 'official' ? 'official_key' : 'redis_password';
    if (!src) return;
    if (!src.file) {
      if (src.value) this.keys[which] = src.value;
      return;
    }
    const text = this.read(name, src.file);
    if (text === undefined) return;
    if (reload && text === this.texts.get(name)) return;
    this.texts.set(name, text);
    const key = text.trim();
    // An API key is one bearer token; a Redis password may hold spaces.
    if (key === '' || (which !== 'redis' && /\s/.test(key))) {
      this.refuse(name, [key === '' ? 'the key file is empty' : 'the key file holds more than one token']);
      return;
    }
    this.keys[which] = key;
    this.mark(name, true);
  }

  /**
   * Never blocks: a FIFO, a device or a directory put in place of a file, or a
   * file over 1 MiB, is refused like an unreadable one (regular-file.ts).
   */
  private read(name: FileName, file: string): string | undefined {
    const r = readRegularFile(file);
    if (r.ok) return r.text;
    // Forget the last text, so the file coming back unchanged is loaded (and marked healthy) again.
    this.texts.delete(name);
    // Counted once per distinct problem, not once per poll.
    if (this.health.files[name]?.error !== r.error) this.refuse(name, [r.error]);
    return undefined;
  }

  private mark(name: FileName, ok: boolean): void {
    this.health.files[name] = { ok };
    (this.opts.reporter ?? silentReporter).loaded(name, ok);
  }

  private refuse(name: FileName, errors: string[]): void {
    this.health.files[name] = { ok: false, error: errors.join('; ') };
    const reporter = this.opts.reporter ?? silentReporter;
    reporter.loaded(name, false);
    reporter.refused(name);
    const what = name === 'route_api' ? 'route from the API server' : `${name.replace('_', ' ')} file`;
    this.opts.log.error({ file: name, errors }, `refused the new ${what}; still serving the last good copy`);
  }
}
