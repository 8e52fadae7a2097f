/**
 * The API keys a sidecar holds, loaded from mounted Secret files (or the
 * environment, standalone). Compiled config like the route: the request path
 * reads them, `ConfigSource` replaces them when the files change.
 */
export interface Keys {
  relay?: string;
  official?: string;
  /** The Redis password of spec.cache.backend redis (--redis-password-file); never logged or shown. */
  redis?: string;
}
