/**
 * What a request cost, and what it saved against the official price.
 * Prices are USD per 1M tokens (the catalog's unit).
 */
import type { Price } from '../config/route.js';
import type { Usage } from './usage.js';

/**
 * `((input − cached) · input price + cached · cached price + output · output price) / 1e6`,
 * where cached tokens cost the input price when the catalog gives no cached
 * price. Undefined without a price: unknown is not free.
 */
export function costUSD(price: Price | undefined, u: Usage): number | undefined {
  if (price === undefined) return undefined;
  const cached = Math.min(u.cachedInput, u.input);
  const uncached = u.input - cached;
  return (uncached * price.input + cached * (price.cachedInput ?? price.input) + u.output * price.output) / 1e6;
}

/**
 * Official cost minus relay cost for the same tokens. Undefined unless both
 * prices are known. Negative when the relay is dearer for this request (for
 * example an official cache discount the relay does not give): reported as
 * it is, never clamped to 0.
 */
export function savingsUSD(
  officialPrice: Price | undefined,
  relayPrice: Price | undefined,
  u: Usage,
): number | undefined {
  const official = costUSD(officialPrice, u);
  const relay = costUSD(relayPrice, u);
  return official === undefined || relay === undefined ? undefined : official - relay;
}
