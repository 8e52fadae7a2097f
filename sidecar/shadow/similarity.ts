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
 * Cost: linear. Each text is read once into a Map of at most n−2 trigrams
 * (n ≤ `MAX_COMPARE_CHARS`, the input is cut there), then one pass over the
 * smaller map: O(n) time and O(n) memory, about a millisecond for 32 KiB.
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
  const ga = trigrams(normalise(a));
  const gb = trigrams(normalise(b));
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
