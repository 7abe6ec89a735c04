// Pure helpers for the SAP page: the section outline (titled with the core's section labels), each
// section's status from the completeness check, and the update a section saves. Tested in sap.test.ts.
import type { AssessmentType, SapData, SapIssue, SapSection, SapSectionUpdate } from './ipc/bindings';
import type { LabelOf } from './vocab';

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

// The editor's sections in template order, each with the completeness sections it shows (the team
// card also holds the CSP's points of contact).
const ALL: Omit<SapOutlineEntry, 'title'>[] = [
  { id: 'document', codes: ['document'] },
  { id: 'scope', codes: ['scope'] },
  { id: 'roles', codes: ['roles'] },
  { id: 'assumptions', codes: ['assumptions'] },
  { id: 'methodology', codes: ['methodology'] },
  { id: 'control-selection', codes: ['control-selection'] },
  { id: 'sampling', codes: ['sampling'] },
  { id: 'team', codes: ['team', 'csp-contacts'] },
  { id: 'tools', codes: ['tools'] },
  { id: 'scan-origination', codes: ['scan-origination'] },
  { id: 'manual-tests', codes: ['manual-tests'] },
  { id: 'schedule', codes: ['schedule'] },
  { id: 'rules-of-engagement', codes: ['rules-of-engagement'] },
  { id: 'penetration-test', codes: ['penetration-test'] },
  { id: 'significant-change', codes: ['significant-change'] },
  { id: 'signatures', codes: ['signatures'] },
];

/**
 * The outline for an assessment type: Appendix D only for significant change requests. Each entry
 * is titled with the labels `section` gives its sections (`Team and CSP points of contact`).
 */
export function outlineFor(type: AssessmentType, section: LabelOf<SapSection>): SapOutlineEntry[] {
  return ALL.filter((s) => s.id !== 'significant-change' || type === 'scr').map((s) => ({
    ...s,
    title: s.codes.map(section).join(' and '),
  }));
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
