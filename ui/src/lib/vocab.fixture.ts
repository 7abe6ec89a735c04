// For unit tests: the vocabularies as the core's `startup` sends them (assay-model's vocab.rs), in
// the model's order and wording. Tests that must show a helper reads its labels from here, rather
// than from text of its own, change a label in a copy of this (see `relabel`).
import type { Choice, Vocabularies } from './ipc/bindings';

const c = (pairs: [string, string][]): Choice[] => pairs.map(([code, label]) => ({ code, label }));

export const coreVocabularies: Vocabularies = {
  impact_levels: c([['li-saas', 'LI-SaaS'], ['low', 'Low'], ['moderate', 'Moderate'], ['high', 'High']]),
  authorization_paths: c([['agency', 'Agency'], ['jab', 'JAB'], ['program', 'Program']]),
  assessment_types: c([['initial', 'Initial'], ['annual', 'Annual'], ['scr', 'Significant Change']]),
  sides: c([['3pao', '3PAO'], ['csp', 'CSP'], ['agency', 'Agency']]),
  team_roles: c([
    ['assessment-lead', 'Assessment lead'],
    ['assessment-team', 'Assessor'],
    ['penetration-test-lead', 'Penetration test lead'],
    ['penetration-test-team', 'Penetration tester'],
    ['assessment-executive', 'Assessment executive'],
    ['csp-assessment-poc', 'CSP assessment POC'],
    ['csp-operations-center', 'CSP operations center (on call)'],
    ['authorizing-official', 'Authorizing official'],
    ['agency-poc', 'Agency POC'],
  ]),
  test_results: c([['satisfied', 'Satisfied'], ['other-than-satisfied', 'Other Than Satisfied'], ['untested', 'Untested']]),
  test_methods: c([['examine', 'Examine'], ['interview', 'Interview'], ['test', 'Test']]),
  risk_levels: c([['low', 'Low'], ['moderate', 'Moderate'], ['high', 'High']]),
  finding_sources: c([
    ['documentation-review', 'Documentation Review'],
    ['interview', 'Interview'],
    ['manual-test', 'Manual Testing'],
    ['penetration-test', 'Penetration Test'],
    ['scan', 'Vulnerability Scan'],
  ]),
  finding_categories: c([
    ['srtm', 'SRTM Test Cases'],
    ['os-scan', 'OS Scans'],
    ['web-scan', 'Web Scans'],
    ['db-scan', 'DB Scans'],
    ['container-scan', 'Container Scans'],
    ['pen-test', 'Pen Test'],
    ['cm-6', 'CM-6 Finds'],
  ]),
  finding_statuses: c([['open', 'Open'], ['corrected', 'Corrected During Testing']]),
  deviation_answers: c([['yes', 'Yes'], ['no', 'No'], ['pending', 'Pending']]),
  review_statuses: c([['pending', 'Pending'], ['accepted', 'Accepted'], ['false-positive', 'False positive'], ['merged', 'Merged']]),
  ret_tabs: c([
    ['ret', 'Risk Exposure Table (RET)'],
    ['corrected', 'Risks Corrected During Testing'],
    ['configuration', 'Configuration Findings'],
    ['pl2', 'PL-2 Findings'],
  ]),
  poam_tabs: c([['open', 'Open POA&M Items'], ['closed', 'Closed POA&M Items'], ['configuration', 'Configuration Findings']]),
  recommendations: c([
    ['recommend', 'recommends this system for authorization'],
    ['do-not-recommend', 'does not recommend this system for authorization'],
    ['recommend-continued', 'recommends this system for continued authorization'],
    ['do-not-recommend-continued', 'does not recommend this system for continued authorization'],
  ]),
  check_severities: c([['error', 'Error'], ['warning', 'Warning']]),
  sap_sections: c([
    ['document', 'Document'],
    ['scope', 'Scope'],
    ['roles', 'Role testing'],
    ['assumptions', 'Assumptions'],
    ['methodology', 'Methodology'],
    ['control-selection', 'Control selection'],
    ['sampling', 'Sampling'],
    ['team', 'Team'],
    ['csp-contacts', 'CSP points of contact'],
    ['tools', 'Tools'],
    ['scan-origination', 'Scan origination'],
    ['manual-tests', 'Manual tests'],
    ['schedule', 'Schedule'],
    ['rules-of-engagement', 'Rules of engagement'],
    ['penetration-test', 'Penetration test plan'],
    ['significant-change', 'Significant change'],
    ['signatures', 'Signatures'],
  ]),
};

/** A copy of `v` whose every label is wrapped in ‹ ›, so a test sees whether text came from it. */
export function relabel(v: Vocabularies = coreVocabularies): Vocabularies {
  return Object.fromEntries(
    Object.entries(v).map(([name, list]) => [name, (list as Choice[]).map((x) => ({ code: x.code, label: `‹${x.label}›` }))]),
  ) as Vocabularies;
}
