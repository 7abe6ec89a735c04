// Builders for the core's update records: every `Option` field must be sent, so these fill the
// untouched ones with `null` ("leave as it is").
import type { FindingUpdate, NewFinding, RiskLevel, TestUpdate } from './ipc/bindings';

/** A TestUpdate for `objectiveId` that changes only the fields in `patch`. */
export function testUpdate(objectiveId: string, patch: Partial<Omit<TestUpdate, 'objective_id'>>): TestUpdate {
  return {
    objective_id: objectiveId,
    methods: null,
    examined: null,
    interviewed: null,
    tested: null,
    observations: null,
    result: null,
    assessor: null,
    tested_on: null,
    no_finding_reason: null,
    link_evidence: [],
    ...patch,
  };
}

/** A FindingUpdate that changes only the fields in `patch`. */
export function findingUpdate(patch: Partial<FindingUpdate>): FindingUpdate {
  return {
    title: null,
    description: null,
    source: null,
    category: null,
    controls: null,
    assets: null,
    objective_ids: null,
    likelihood: null,
    impact: null,
    risk_statement: null,
    recommendation: null,
    cvss_vector: null,
    status: null,
    closure: null,
    risk_adjustment: null,
    false_positive: null,
    operational_requirement: null,
    vendor_dependency: null,
    ...patch,
  };
}

/** A manual SRTM finding with `patch` applied. */
export function newFinding(title: string, likelihood: RiskLevel, impact: RiskLevel, patch: Partial<NewFinding> = {}): NewFinding {
  return {
    title,
    description: '',
    source: 'manual-test',
    category: 'srtm',
    controls: [],
    assets: [],
    objective_ids: [],
    likelihood,
    impact,
    risk_statement: '',
    recommendation: '',
    evidence_ids: [],
    cvss_vector: null,
    detected_on: null,
    ...patch,
  };
}
