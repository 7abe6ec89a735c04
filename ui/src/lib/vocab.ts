// Labels for the codes of the core's closed vocabularies (impact levels, assessment types,
// authorization paths, sides, team roles). The core sends the vocabularies once, with `startup`;
// App.svelte hands them to every page, and the UI looks labels up here instead of retyping them.
// Tested in vocab.test.ts.
import type { Choice, Vocabularies } from './ipc/bindings';

export type VocabularyName = keyof Vocabularies;

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
