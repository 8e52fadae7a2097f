/**
 * Text similarity for the shadow judge: the cosine of the character-trigram
 * frequency vectors of two texts, after normalising them (Unicode NFKC, so a
 * full-width ，equals a comma; lower case; runs of whitespace to one space;
 * trimmed). Pure.
 *
 * Why this measure, for LLM answers:
 * - Two models that give the same answer word it differently; a trigram
 *   profile changes little under reordering, synonyms of shared stems and
 *   punctuation, and a lot when the content differs (another language, a
 *   refusal, an error message, an empty answer, a truncated one).
 * - Characters, not words: it needs no tokenizer and works unchanged for
 *   Chinese and Japanese, which have no spaces (Moonshot and DeepSeek users
 *   are a large part of the traffic a relay serves).
 * - Cosine, not Jaccard over sets: frequencies keep the weight of what an
 *   answer says often, and a long answer against a short one scores by
 *   shared content rather than by size alone.
 *
 * Cost: linear. Each text is read once into a hash table of at most n−2
 * trigrams (n ≤ `MAX_COMPARE_CHARS`, the input is cut there), then one pass
 * over the smaller table: O(n) time and O(n) memory. The table
 * (`TrigramTable`) packs a trigram's three code points into one number and
 * keeps keys and counts in two flat number arrays (on the V8 heap: typed
 * arrays this size live off it and cost more to allocate), so a typical
 * answer of a few hundred characters is compared in a few µs with no string
 * or Map entry per trigram (a shadow pair is judged on the sidecar's event
 * loop, beside the app's requests). Texts the packing cannot hold (a code point above U+1FFFF) or of
 * fewer than three characters take the plain Map path (`trigrams`); both give
 * the same counts, and since every count is an integer the cosine's sums are
 * exact whatever the order, so both give the same value to the last bit.
 *
 * Values: 1 for identical profiles (and for two empty texts: two answers that
 * are only tool calls), 0 when one text is empty and the other not, or when
 * they share no trigram. Texts of one or two characters are compared as one
 * "gram" each.
 */

export const MAX_COMPARE_CHARS = 32 * 1024;

export function normalise(text: string): string {
  const cut = text.length > MAX_COMPARE_CHARS ? text.slice(0, MAX_COMPARE_CHARS) : text;
  return cut.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Trigram → count. Iterates code points, so a surrogate pair is one character. */
export function trigrams(text: string): Map<string, number> {
  const chars = Array.from(text);
  const out = new Map<string, number>();
  if (chars.length === 0) return out;
  if (chars.length < 3) {
    out.set(chars.join(''), 1);
    return out;
  }
  for (let i = 0; i + 3 <= chars.length; i++) {
    const g = chars[i]! + chars[i + 1]! + chars[i + 2]!;
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Cosine similarity (0–1) of the two texts' trigram frequency vectors. */
export function similarity(a: string, b: string): number {
  const na = normalise(a);
  const nb = normalise(b);
  const ta = TrigramTable.of(na);
  const tb = ta && TrigramTable.of(nb);
  if (ta && tb) return Math.min(1, ta.dot(tb) / (Math.sqrt(ta.sumOfSquares()) * Math.sqrt(tb.sumOfSquares())));
  return cosine(trigrams(na), trigrams(nb));
}

function cosine(ga: Map<string, number>, gb: Map<string, number>): number {
  if (ga.size === 0 && gb.size === 0) return 1;
  if (ga.size === 0 || gb.size === 0) return 0;
  const [small, large] = ga.size <= gb.size ? [ga, gb] : [gb, ga];
  let dot = 0;
  for (const [g, n] of small) dot += n * (large.get(g) ?? 0);
  const norm = (m: Map<string, number>): number => {
    let s = 0;
    for (const n of m.values()) s += n * n;
    return Math.sqrt(s);
  };
  // Rounding can put identical texts a hair above 1.
  return Math.min(1, dot / (norm(ga) * norm(gb)));
}

/** Code points below this pack three to a number exactly (3 × 17 bits < 2^53). */
const PACKABLE = 0x20000;

/**
 * Trigram → count for one text: open addressing over two flat arrays, the
 * trigram packed as a·2^34 + b·2^17 + c (+1, so 0 marks an empty slot). At
 * least half the slots stay empty, so a probe is O(1) expected.
 */
export class TrigramTable {
  private constructor(
    private readonly keys: number[],
    private readonly counts: number[],
    private readonly mask: number,
    /** Distinct trigrams. */
    readonly size: number,
  ) {}

  /** The table of a normalised text, or undefined when it has fewer than 3 code points or one at or above U+20000. */
  static of(text: string): TrigramTable | undefined {
    const n = text.length;
    if (n < 3) return undefined;
    let capacity = 8;
    while (capacity < 2 * n) capacity *= 2;
    const keys = new Array<number>(capacity).fill(0);
    const counts = new Array<number>(capacity).fill(0);
    const mask = capacity - 1;
    let size = 0;
    let a = 0;
    let b = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      if (c >= PACKABLE) return undefined;
      if (++seen >= 3) {
        const key = a * 2 ** 34 + b * 2 ** 17 + c + 1;
        let slot = hash(key) & mask;
        while (keys[slot] !== 0 && keys[slot] !== key) slot = (slot + 1) & mask;
        if (keys[slot] === 0) {
          keys[slot] = key;
          size++;
        }
        counts[slot]!++;
      }
      a = b;
      b = c;
    }
    return seen < 3 ? undefined : new TrigramTable(keys, counts, mask, size);
  }

  /** Σ count² over the trigrams. */
  sumOfSquares(): number {
    let s = 0;
    for (let i = 0; i < this.counts.length; i++) s += this.counts[i]! * this.counts[i]!;
    return s;
  }

  /** Σ countA · countB over the trigrams both hold (iterating the smaller table). */
  dot(other: TrigramTable): number {
    const [small, large] = this.size <= other.size ? [this, other] : [other, this];
    let dot = 0;
    for (let i = 0; i < small.keys.length; i++) {
      const key = small.keys[i]!;
      if (key !== 0) dot += small.counts[i]! * large.count(key);
    }
    return dot;
  }

  private count(key: number): number {
    for (let slot = hash(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const here = this.keys[slot]!;
      if (here === key) return this.counts[slot]!;
      if (here === 0) return 0;
    }
  }
}

/** A 32-bit mix of a packed key (an integer below 2^53): its low and high words. */
function hash(key: number): number {
  const lo = key >>> 0;
  const hi = (key - lo) / 2 ** 32;
  const h = Math.imul(lo ^ (lo >>> 16), 0x85ebca6b) ^ Math.imul(hi, 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}
