// Pure helpers for the SAP page: the section outline, each section's status from the completeness
// check, and the update a section saves. Tested in sap.test.ts.
import type { AssessmentType, SapData, SapIssue, SapSection, SapSectionUpdate } from './ipc/bindings';

/** A section of the SAP editor as the outline lists it. */
export interface SapOutlineEntry {
  id: SectionId;
  title: string;
  /** The completeness sections whose issues show here. */
  codes: SapSection[];
}

export type SectionId =
  | 'document'
  | 'scope'
  | 'roles'
  | 'assumptions'
  | 'methodology'
  | 'control-selection'
  | 'sampling'
  | 'team'
  | 'tools'
  | 'scan-origination'
  | 'manual-tests'
  | 'schedule'
  | 'rules-of-engagement'
  | 'penetration-test'
  | 'significant-change'
  | 'signatures';

const ALL: SapOutlineEntry[] = [
  { id: 'document', title: 'Document', codes: ['document'] },
  { id: 'scope', title: 'Scope', codes: ['scope'] },
  { id: 'roles', title: 'Role testing', codes: ['roles'] },
  { id: 'assumptions', title: 'Assumptions', codes: ['assumptions'] },
  { id: 'methodology', title: 'Methodology', codes: ['methodology'] },
  { id: 'control-selection', title: 'Control selection', codes: ['control-selection'] },
  { id: 'sampling', title: 'Sampling', codes: ['sampling'] },
  { id: 'team', title: 'Team and CSP contacts', codes: ['team', 'csp-contacts'] },
  { id: 'tools', title: 'Tools', codes: ['tools'] },
  { id: 'scan-origination', title: 'Scan origination', codes: ['scan-origination'] },
  { id: 'manual-tests', title: 'Manual tests', codes: ['manual-tests'] },
  { id: 'schedule', title: 'Schedule', codes: ['schedule'] },
  { id: 'rules-of-engagement', title: 'Rules of engagement', codes: ['rules-of-engagement'] },
  { id: 'penetration-test', title: 'Penetration test', codes: ['penetration-test'] },
  { id: 'significant-change', title: 'Significant change', codes: ['significant-change'] },
  { id: 'signatures', title: 'Signatures', codes: ['signatures'] },
];

/** The outline for an assessment type: Appendix D only for significant change requests. */
export function outlineFor(type: AssessmentType): SapOutlineEntry[] {
  return ALL.filter((s) => s.id !== 'significant-change' || type === 'scr');
}

export type SectionStatus = 'complete' | 'warning' | 'blocking';

/** The issues that belong to a section of the outline. */
export function issuesOf(entry: SapOutlineEntry, issues: SapIssue[]): SapIssue[] {
  return issues.filter((i) => entry.codes.includes(i.section));
}

/** Blocking if any issue blocks, warning if any warns, complete otherwise. */
export function statusOf(entry: SapOutlineEntry, issues: SapIssue[]): SectionStatus {
  const mine = issuesOf(entry, issues);
  if (mine.some((i) => i.severity === 'blocking')) return 'blocking';
  if (mine.length) return 'warning';
  return 'complete';
}

/** The update that saves section `id` of `data` whole; null for sections not stored in the SAP. */
export function updateFor(id: SectionId, data: SapData): SapSectionUpdate | null {
  switch (id) {
    case 'document':
      return { section: 'document', data: data.document };
    case 'scope':
      return { section: 'scope', data: data.scope };
    case 'roles':
      return { section: 'roles', data: data.roles };
    case 'assumptions':
      return { section: 'assumptions', data: data.assumptions };
    case 'methodology':
      return { section: 'methodology', data: data.methodology };
    case 'control-selection':
      return { section: 'control-selection', data: data.control_selection };
    case 'sampling':
      return { section: 'sampling', data: data.sampling };
    case 'team':
      return { section: 'team-validation', data: data.team_validation };
    case 'tools':
      return { section: 'tools', data: data.tools };
    case 'scan-origination':
      return { section: 'scan-origination', data: data.scan_origination_ips };
    case 'manual-tests':
      return { section: 'manual-tests', data: data.manual_tests };
    case 'schedule':
      return { section: 'schedule', data: data.schedule };
    case 'rules-of-engagement':
      return { section: 'rules-of-engagement', data: data.rules_of_engagement };
    case 'penetration-test':
      return { section: 'penetration-test', data: data.penetration_test };
    case 'significant-change':
      return { section: 'significant-change', data: data.significant_change };
    case 'signatures':
      return null;
  }
}

/** The part of the SAP data a section edits, for putting back a discarded change; null for none. */
export function sectionKey(id: SectionId): keyof SapData | null {
  const keys: Partial<Record<SectionId, keyof SapData>> = {
    document: 'document',
    scope: 'scope',
    roles: 'roles',
    assumptions: 'assumptions',
    methodology: 'methodology',
    'control-selection': 'control_selection',
    sampling: 'sampling',
    team: 'team_validation',
    tools: 'tools',
    'scan-origination': 'scan_origination_ips',
    'manual-tests': 'manual_tests',
    schedule: 'schedule',
    'rules-of-engagement': 'rules_of_engagement',
    'penetration-test': 'penetration_test',
    'significant-change': 'significant_change',
  };
  return keys[id] ?? null;
}

// Every section's title, Appendix D included, by the codes deviations and issues name them with.
const TITLES = new Map<string, string>(ALL.map((s) => [s.id, s.title]));

/** The title of a completeness or deviation section code (`csp-contacts` has no outline entry). */
export function sectionLabel(code: string): string {
  if (code === 'csp-contacts') return 'CSP points of contact';
  return TITLES.get(code) ?? code;
}

/** `a, b ,, c` → `['a', 'b', 'c']`, for comma-separated entry of short lists. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Today's date as `YYYY-MM-DD` in local time, for date fields. */
export function today(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** Issues with the same severity and message shown once, with how often they occur, in order. */
export function groupIssues(issues: SapIssue[]): (SapIssue & { count: number })[] {
  const out: (SapIssue & { count: number })[] = [];
  for (const i of issues) {
    const same = out.find((o) => o.severity === i.severity && o.message === i.message);
    if (same) same.count += 1;
    else out.push({ ...i, count: 1 });
  }
  return out;
}
