/**
 * The route's model table: which rule a requested model falls under, and the
 * bounded set of model names that may appear as metric labels.
 */
import type { ModelRule } from './route.js';

/** A glob where `*` matches any run of characters (also none); anchored; everything else literal. */
export function compileGlob(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

export class ModelTable {
  readonly #rules: ReadonlyArray<{ rule: ModelRule; globs: RegExp[] }>;
  readonly #known: ReadonlySet<string>;

  /**
   * `catalogNames`: the route's catalog entries; they join the chain models
   * and official renames as known names.
   */
  constructor(rules: ModelRule[], catalogNames: Iterable<string>) {
    this.#rules = rules.map((rule) => ({ rule, globs: rule.match.map(compileGlob) }));
    const known = new Set<string>(catalogNames);
    for (const rule of rules) {
      for (const model of rule.chain) known.add(model);
      if (rule.official !== undefined) known.add(rule.official);
    }
    this.#known = known;
  }

  /** The rule for the model the app asked for; the first rule with a matching glob wins. */
  match(model: string): ModelRule | undefined {
    return this.#rules.find(({ globs }) => globs.some((g) => g.test(model)))?.rule;
  }

  /** Every chain model, official rename and catalog name. */
  knownModels(): ReadonlySet<string> {
    return this.#known;
  }

  /** A bounded Prometheus label: the name if the route names it, else `other`. */
  label(model: string): string {
    return this.#known.has(model) ? model : 'other';
  }
}
