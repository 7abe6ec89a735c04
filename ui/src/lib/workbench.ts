// Pure helpers for the test workbench, findings and evidence pages: the control tree with
// progress counts, the list filters over thousands of rows (the data table applies them) and
// small formatting. Unit-tested in workbench.test.ts at 2,000 objectives and 5,000 findings.
import type { DeviationAnswer, Finding, RiskLevel, TestResult, TestRow } from './ipc/bindings';
import type { LabelOf } from './vocab';

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

/**
 * The list filters of `f` other than its text (the table filters text itself) as one predicate,
 * or null when none is set, so an unfiltered list costs nothing per row.
 */
export function testRowFilter(f: Omit<RowFilter, 'text'>): ((r: TestRow) => boolean) | null {
  const assessor = f.assessor.trim().toLowerCase();
  if (!f.family && !f.control && !f.result && !f.untestedOnly && !assessor) return null;
  return (r) =>
    (!f.family || r.family_id === f.family) &&
    (!f.control || r.control_id === f.control) &&
    (!f.result || r.result === f.result) &&
    (!f.untestedOnly || r.result === 'untested') &&
    (!assessor || r.assessor.toLowerCase() === assessor);
}

/** What the objective filter's text matches: the objective's label, id and text, and its control. */
export function testRowText(r: TestRow): string[] {
  return [r.objective_label, r.objective_id, r.control_label, r.objective_text];
}

/** The distinct assessors named on rows, sorted, for the assessor filter. */
export function assessorsOf(rows: TestRow[]): string[] {
  const set = new Set<string>();
  for (const r of rows) if (r.assessor) set.add(r.assessor);
  return [...set].sort((a, b) => a.localeCompare(b));
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
  risk: '' | RiskLevel;
  status: '' | 'open' | 'closed';
}

/** The risk and status filters of `f` as one predicate (risk is the effective one); null when unset. */
export function findingFilter(f: Omit<FindingFilter, 'text'>): ((x: Finding) => boolean) | null {
  if (!f.risk && !f.status) return null;
  return (x) => (!f.risk || x.effective_risk === f.risk) && (!f.status || (f.status === 'open') === x.open);
}

/** What the findings filter's text matches: reference, title and controls. */
export function findingText(f: Finding): string[] {
  return [f.reference, f.title, f.controls.join(' ')];
}

/**
 * The deviations a finding carries, as short labels (RA, FP, OR, VD) with their status in the
 * core's wording (`answer` looks it up): `RA Pending`.
 */
export function deviationTags(f: Finding, answer: LabelOf<DeviationAnswer>): string[] {
  const tags: string[] = [];
  if (f.risk_adjustment) tags.push(`RA ${answer(f.risk_adjustment.status)}`);
  if (f.false_positive) tags.push(`FP ${answer(f.false_positive.status)}`);
  if (f.operational_requirement) tags.push(`OR ${answer(f.operational_requirement.status)}`);
  if (f.vendor_dependency) tags.push(`VD ${answer(f.vendor_dependency.status)}`);
  return tags;
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
