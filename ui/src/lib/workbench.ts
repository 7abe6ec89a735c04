// Pure helpers for the test workbench, findings and evidence pages: the control tree with
// progress counts, client-side filters over thousands of rows, keyboard stepping, selection and
// small formatting. Unit-tested in workbench.test.ts at 2,000 objectives and 5,000 findings.
import type { Finding, TestResult, TestRow } from './ipc/bindings';

/** Result counts for a group of rows. */
export interface Counts {
  total: number;
  satisfied: number;
  other: number;
  untested: number;
}

export interface ControlNode {
  id: string;
  label: string;
  counts: Counts;
}

export interface FamilyNode {
  id: string;
  counts: Counts;
  controls: ControlNode[];
}

function emptyCounts(): Counts {
  return { total: 0, satisfied: 0, other: 0, untested: 0 };
}

function count(c: Counts, result: TestResult) {
  c.total += 1;
  if (result === 'satisfied') c.satisfied += 1;
  else if (result === 'other-than-satisfied') c.other += 1;
  else c.untested += 1;
}

/** Share of rows with a result, as a whole percent. */
export function percentTested(c: Counts): number {
  return c.total ? Math.floor(((c.total - c.untested) * 100) / c.total) : 0;
}

/** Families → controls in the rows' (catalog) order, each with its result counts. One pass. */
export function buildTree(rows: TestRow[]): FamilyNode[] {
  const families: FamilyNode[] = [];
  const byFamily = new Map<string, FamilyNode>();
  const byControl = new Map<string, ControlNode>();
  for (const r of rows) {
    let fam = byFamily.get(r.family_id);
    if (!fam) {
      fam = { id: r.family_id, counts: emptyCounts(), controls: [] };
      byFamily.set(r.family_id, fam);
      families.push(fam);
    }
    let ctl = byControl.get(r.control_id);
    if (!ctl) {
      ctl = { id: r.control_id, label: r.control_label, counts: emptyCounts() };
      byControl.set(r.control_id, ctl);
      fam.controls.push(ctl);
    }
    count(fam.counts, r.result);
    count(ctl.counts, r.result);
  }
  return families;
}

/** What the objective list shows. Empty strings and false match everything. */
export interface RowFilter {
  family: string;
  control: string;
  result: '' | TestResult;
  untestedOnly: boolean;
  assessor: string;
  text: string;
}

export const noFilter: RowFilter = { family: '', control: '', result: '', untestedOnly: false, assessor: '', text: '' };

/** The rows matching `f`, in order. Text matches the objective label, id, control and text. */
export function filterTestRows(rows: TestRow[], f: RowFilter): TestRow[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const assessor = f.assessor.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!f.family || r.family_id === f.family) &&
      (!f.control || r.control_id === f.control) &&
      (!f.result || r.result === f.result) &&
      (!f.untestedOnly || r.result === 'untested') &&
      (!assessor || r.assessor.toLowerCase() === assessor) &&
      (!words.length ||
        words.every((w) =>
          `${r.objective_label} ${r.objective_id} ${r.control_label} ${r.objective_text}`.toLowerCase().includes(w),
        )),
  );
}

/** The distinct assessors named on rows, sorted, for the assessor filter. */
export function assessorsOf(rows: TestRow[]): string[] {
  const set = new Set<string>();
  for (const r of rows) if (r.assessor) set.add(r.assessor);
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** The index `step` rows away from `current` in a list of `count`, clamped to the list. */
export function stepIndex(current: number, step: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return step > 0 ? 0 : count - 1;
  return Math.max(0, Math.min(count - 1, current + step));
}

/** The scrollTop that brings row `index` (of `rowHeight`) into a viewport, or the current one. */
export function scrollToShow(index: number, rowHeight: number, scrollTop: number, viewport: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}

/**
 * A new multi-selection after a click on `id`: plain click selects only it; ctrl/cmd toggles it;
 * shift selects the range from `anchor` to it in `order`.
 */
export function clickSelect(
  selected: Set<string>,
  order: string[],
  id: string,
  anchor: string | null,
  mods: { toggle: boolean; range: boolean },
): Set<string> {
  if (mods.range && anchor) {
    const a = order.indexOf(anchor);
    const b = order.indexOf(id);
    if (a >= 0 && b >= 0) {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      return new Set([...selected, ...order.slice(lo, hi + 1)]);
    }
  }
  if (mods.toggle) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  }
  return new Set([id]);
}

/** Rows with their window replaced: swaps changed rows in by objective id, keeps order. */
export function mergeRows(rows: TestRow[], changed: TestRow[]): TestRow[] {
  if (!changed.length) return rows;
  const byId = new Map(changed.map((r) => [r.objective_id, r]));
  return rows.map((r) => byId.get(r.objective_id) ?? r);
}

/** What the findings list shows. */
export interface FindingFilter {
  text: string;
  risk: '' | 'low' | 'moderate' | 'high';
  status: '' | 'open' | 'closed';
}

/** The findings matching `f`: text over reference, title and controls; risk is the effective one. */
export function filterFindings(findings: Finding[], f: FindingFilter): Finding[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  return findings.filter(
    (x) =>
      (!f.risk || x.effective_risk === f.risk) &&
      (!f.status || (f.status === 'open') === x.open) &&
      (!words.length || words.every((w) => `${x.reference} ${x.title} ${x.controls.join(' ')}`.toLowerCase().includes(w))),
  );
}

/** The deviations a finding carries, as short labels (RA, FP, OR, VD) with their status. */
export function deviationTags(f: Finding): string[] {
  const tags: string[] = [];
  if (f.risk_adjustment) tags.push(`RA ${f.risk_adjustment.status}`);
  if (f.false_positive) tags.push(`FP ${f.false_positive.status}`);
  if (f.operational_requirement) tags.push(`OR ${f.operational_requirement.status}`);
  if (f.vendor_dependency) tags.push(`VD ${f.vendor_dependency.status}`);
  return tags;
}

/** `Low` / `Moderate` / `High` for a stored level code. */
export function levelLabel(level: string): string {
  return level ? level[0].toUpperCase() + level.slice(1) : '';
}

/** A CVSS vector with `key` set to `code` (added in `order` when missing; `X`/empty removes it). */
export function setCvssMetric(vector: string, prefix: string, order: string[], key: string, code: string): string {
  const parts = new Map<string, string>();
  for (const p of vector.split('/')) {
    const [k, v] = p.split(':');
    if (k && v && !k.startsWith('CVSS')) parts.set(k, v);
  }
  // `X` is "Not Defined" for the optional metrics: the same as leaving the metric out.
  if (!code || code === 'X') parts.delete(key);
  else parts.set(key, code);
  const known = order.filter((k) => parts.has(k)).map((k) => `${k}:${parts.get(k)}`);
  return [prefix, ...known].join('/');
}

/** The metric codes of a vector, by key. */
export function cvssMetrics(vector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of vector.split('/')) {
    const [k, v] = p.split(':');
    if (k && v && !k.startsWith('CVSS')) out[k] = v;
  }
  return out;
}

/** The first 12 hex digits of a SHA-256, for tables. */
export function shortHash(sha: string): string {
  return sha.slice(0, 12);
}

/** Whether an element is a text field, where the workbench's single-key shortcuts must not fire. */
export function isTyping(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable === true;
}
