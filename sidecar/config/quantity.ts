/**
 * Kubernetes quantities (`10Mi`, `512Ki`, `1G`, `1000`, `1e6`) for byte
 * counts such as `spec.limits.maxRequestBytes`, parsed to an integer.
 *
 * The grammar is the subset of Kubernetes' resource.Quantity that makes sense
 * for bytes and that the CRD's `pattern` admits (`QUANTITY_PATTERN`): no sign,
 * binary suffixes Ki…Ei, decimal suffixes k, M, G, T, P, E, or a decimal
 * exponent. The milli suffix `m` is refused on purpose: `10m` is 0.01 in
 * Kubernetes, and anyone writing it for a byte limit meant megabytes.
 * Fractions round up, as Quantity.Value() does (`0.5Ki` → 512, `1.5` → 2).
 */

/** The CRD's `pattern` for byte quantities written as strings: the grammar below, and not zero. */
export const QUANTITY_PATTERN =
  '^([0-9]*[1-9][0-9]*(\\.[0-9]+)?|[0-9]+\\.[0-9]*[1-9][0-9]*)([KMGTPE]i|[kMGTPE]|[eE][0-9]+)?$';

const QUANTITY = /^([0-9]+)(?:\.([0-9]+))?(?:([KMGTPE]i|[kMGTPE])|[eE]([0-9]+))?$/;

const MULTIPLIER: Readonly<Record<string, bigint>> = {
  '': 1n,
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
  k: 10n ** 3n,
  M: 10n ** 6n,
  G: 10n ** 9n,
  T: 10n ** 12n,
  P: 10n ** 15n,
  E: 10n ** 18n,
};

/** The human description used in error messages, here and in schema errors. */
export const QUANTITY_HINT = 'a positive Kubernetes quantity such as 10Mi, 512Ki, 1G or 1000 (bytes)';

/**
 * Parses a byte quantity to a positive integer number of bytes, rounding
 * fractions up. Numbers are taken as bytes. Zero is refused: a zero byte
 * limit refuses everything and is never what was meant.
 *
 * @throws Error naming the input when it is not a quantity, is not positive, or
 *   exceeds Number.MAX_SAFE_INTEGER.
 */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`invalid quantity ${value}: must be a positive number of bytes`);
    }
    return checkSafe(Math.ceil(value), String(value));
  }
  const match = typeof value === 'string' ? QUANTITY.exec(value) : null;
  if (match === null) {
    throw new Error(`invalid quantity ${JSON.stringify(value)}: expected ${QUANTITY_HINT}${suffixAdvice(value)}`);
  }
  const [, whole = '0', fraction = '', suffix = '', exponent] = match;
  const scale = 10n ** BigInt(fraction.length);
  let numerator = BigInt(whole + fraction) * (MULTIPLIER[suffix] as bigint);
  if (exponent !== undefined) numerator *= 10n ** BigInt(exponent);
  if (numerator === 0n) throw new Error(`invalid quantity ${JSON.stringify(value)}: must be more than 0`);
  const bytes = (numerator + scale - 1n) / scale;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`invalid quantity ${JSON.stringify(value)}: too large`);
  }
  return Number(bytes);
}

function checkSafe(bytes: number, shown: string): number {
  if (bytes > Number.MAX_SAFE_INTEGER) throw new Error(`invalid quantity ${shown}: too large`);
  return bytes;
}

/** Advice for the suffix mistakes people make with byte quantities (`10m`, `10MB`, `10K`). */
function suffixAdvice(value: unknown): string {
  if (typeof value !== 'string') return '';
  const number = /^[0-9]+(?:\.[0-9]+)?/.exec(value)?.[0];
  if (number === undefined) return '';
  const suffix = value.slice(number.length);
  if (suffix === 'm') return `; "m" means milli (1/1000): write ${number}Mi or ${number}M for megabytes`;
  const letter = /^([kmgtpe])(i|b)?$/i.exec(suffix)?.[1]?.toUpperCase();
  if (letter === undefined) return '';
  const decimal = letter === 'K' ? 'k' : letter;
  return `; write ${number}${letter}i (binary) or ${number}${decimal} (decimal)`;
}
