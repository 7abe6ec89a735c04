// The SAP editor's state, shared by the SAP page and its section components (components/sap/):
// the plan as stored and as edited, the completeness issues, and the saving rules. Each section
// autosaves whole, one save after another; after signing, a change waits for a justification and
// is recorded as a deviation. The pure parts (outline, update per section) are in sap.ts.
import { commands, unwrap, messageOf, type AssessmentType, type Sap, type SapData, type SapIssue, type SapSection } from './ipc';
import { debounced } from './format';
import { outlineFor, sectionKey, updateFor, type SapOutlineEntry, type SectionId } from './sap';
import type { LabelOf } from './vocab';

export type SaveState = 'idle' | 'saving' | 'saved' | 'error';

export class SapEditor {
  sap = $state<Sap | null>(null);
  /** The sections as edited; saved whole, one section at a time. */
  draft = $state<SapData | null>(null);
  issues = $state<SapIssue[]>([]);
  saveState = $state<SaveState>('idle');
  sectionErrors = $state<Partial<Record<SectionId, string>>>({});
  /** After signing: sections changed but not yet saved, waiting for a justification. */
  dirty = $state<Partial<Record<SectionId, boolean>>>({});
  justification = $state<Partial<Record<SectionId, string>>>({});
  // Sections edited but not yet saved, and saves under way: the status line and the window test
  // wait for both to reach zero, since a save can change the issues shown and so the layout.
  waiting = $state<Partial<Record<SectionId, boolean>>>({});
  inFlight = $state(0);

  readonly #assessmentType: () => AssessmentType;
  /** The core's label of a SAP section (outline titles, deviations, blocking items). */
  readonly sectionLabel: LabelOf<SapSection>;
  // Saves run one after another, so an older version of a section never lands after a newer one
  // and the completeness shown is always that of the last save.
  #queue: Promise<void> = Promise.resolve();
  readonly #savers = new Map<SectionId, ReturnType<typeof debounced<null>>>();

  /**
   * `assessmentType` is read when needed: Appendix D is only in a significant change's outline.
   * `sectionLabel` is the core's sap_sections vocabulary.
   */
  constructor(assessmentType: () => AssessmentType, sectionLabel: LabelOf<SapSection>) {
    this.#assessmentType = assessmentType;
    this.sectionLabel = sectionLabel;
  }

  outline: SapOutlineEntry[] = $derived.by(() => outlineFor(this.#assessmentType(), this.sectionLabel));
  signed = $derived(!!this.sap?.signing);
  blocking = $derived(this.issues.filter((i) => i.severity === 'blocking'));
  busy = $derived(this.inFlight > 0 || Object.values(this.waiting).some(Boolean));

  async refreshIssues() {
    this.issues = await unwrap(commands.getSapCompleteness());
  }

  /** Takes a plan from the core as both the stored and the edited version. */
  adopt(s: Sap) {
    this.sap = s;
    this.draft = structuredClone(s.data);
  }

  saveSection(id: SectionId, why: string | null): Promise<void> {
    this.#queue = this.#queue.then(() => this.#write(id, why));
    return this.#queue;
  }

  async #write(id: SectionId, why: string | null) {
    this.waiting[id] = false;
    if (!this.draft) return;
    const update = updateFor(id, $state.snapshot(this.draft) as SapData);
    if (!update) return;
    this.saveState = 'saving';
    this.inFlight += 1;
    try {
      this.sap = await unwrap(commands.updateSap(update, why));
      delete this.sectionErrors[id];
      this.saveState = 'saved';
      await this.refreshIssues();
    } catch (e) {
      this.sectionErrors[id] = messageOf(e);
      this.saveState = 'error';
    } finally {
      this.inFlight -= 1;
    }
  }

  #saver(id: SectionId) {
    let s = this.#savers.get(id);
    if (!s) {
      s = debounced(() => void this.saveSection(id, null), 700);
      this.#savers.set(id, s);
    }
    return s;
  }

  /** A section changed: autosave it, or after signing hold it for a justification. */
  edited(id: SectionId, event?: Event) {
    // The justification box belongs to the section but is not part of it.
    if (event?.target instanceof Element && event.target.closest('[data-nosave]')) return;
    if (this.signed) {
      this.dirty[id] = true;
      return;
    }
    this.waiting[id] = true;
    this.#saver(id).push(null);
  }

  /** Saves a section's pending edit now (when focus leaves it). */
  flush(id: SectionId) {
    if (!this.signed) this.#saver(id).flush();
  }

  async recordDeviation(id: SectionId) {
    const why = (this.justification[id] ?? '').trim();
    if (!why) {
      this.sectionErrors[id] = 'Say why the signed plan changes; the justification goes into the SAR.';
      return;
    }
    await this.saveSection(id, why);
    if (!this.sectionErrors[id]) {
      this.dirty[id] = false;
      this.justification[id] = '';
    }
  }

  /** Puts a held change of a signed plan back as it was signed. */
  discardChanges(id: SectionId) {
    if (!this.sap || !this.draft) return;
    const fresh = structuredClone($state.snapshot(this.sap.data) as SapData);
    const key = sectionKey(id);
    if (key) (this.draft as Record<string, unknown>)[key] = (fresh as Record<string, unknown>)[key];
    this.dirty[id] = false;
    delete this.sectionErrors[id];
  }

  /** Scrolls to a section. */
  jump(id: SectionId) {
    document.getElementById(`sec-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
}
