// Labels for the codes of the core's closed vocabularies (impact levels, assessment types, test
// results, risk levels, finding categories, review statuses, POA&M tabs, SAP sections...). The core
// sends the vocabularies once, with `startup`; App.svelte hands them to every page, and the UI looks
// labels and option lists up here instead of retyping them. Pure helpers that format codes take a
// `LabelOf` lookup, so they stay testable without the core. Tested in vocab.test.ts.
import type { Choice, Vocabularies } from './ipc/bindings';

export type VocabularyName = keyof Vocabularies;

/** The label of a code of one vocabulary (the code itself when the vocabulary has none). */
export type LabelOf<C extends string = string> = (code: C) => string;

// One code → label map per vocabulary, built on first use for each Vocabularies the core sent.
const maps = new WeakMap<Vocabularies, Map<VocabularyName, Map<string, string>>>();

/** The label the core gives `code` in vocabulary `name`; the code itself when the core has none. */
export function vocabLabel(v: Vocabularies, name: VocabularyName, code: string): string {
  let byName = maps.get(v);
  if (!byName) {
    byName = new Map();
    maps.set(v, byName);
  }
  let labels = byName.get(name);
  if (!labels) {
    labels = new Map(v[name].map((c: Choice) => [c.code, c.label]));
    byName.set(name, labels);
  }
  return labels.get(code) ?? code;
}

/** The label lookup of vocabulary `name`, for the helpers that take a `LabelOf`. */
export function labelsOf<C extends string = string>(v: Vocabularies, name: VocabularyName): LabelOf<C> {
  return (code) => vocabLabel(v, name, code);
}

/**
 * The entries of vocabulary `name` in the model's order, for a select or a tab list, typed with the
 * codes' type `C` (the vocabulary is the one the core declares for `C`). `keep` leaves some out.
 */
export function choicesOf<C extends string>(v: Vocabularies, name: VocabularyName, keep?: (code: C) => boolean): { code: C; label: string }[] {
  const all = v[name] as { code: C; label: string }[];
  return keep ? all.filter((c) => keep(c.code)) : all;
}
