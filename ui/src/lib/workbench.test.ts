import { describe, expect, it } from 'vitest';
import type { Finding, TestResult, TestRow } from './ipc/bindings';
import { columnIndex, filterRows, rowWindow } from './table';
import { labelsOf } from './vocab';
import { coreVocabularies, relabel } from './vocab.fixture';
import {
  buildTree,
  cvssMetrics,
  deviationTags,
  findingFilter,
  findingText,
  mergeRows,
  noFilter,
  percentTested,
  setCvssMetric,
  testRowFilter,
  testRowText,
  type FindingFilter,
  type RowFilter,
} from './workbench';

/** The objective list as the Testing page's table filters it. */
function filterTestRows(rows: TestRow[], f: RowFilter): TestRow[] {
  return filterRows(rows, columnIndex(rows, [], testRowText), f.text, testRowFilter(f));
}

/** The findings list as the Findings page's table filters it. */
function filterFindings(all: Finding[], f: FindingFilter): Finding[] {
  return filterRows(all, columnIndex(all, [], findingText), f.text, findingFilter(f));
}

const results: TestResult[] = ['untested', 'satisfied', 'other-than-satisfied'];

/** 2,000 objectives: 20 families × 10 controls × 10 objectives, results cycling. */
function objectives(n = 2000): TestRow[] {
  return Array.from({ length: n }, (_, i) => {
    const fam = `f${Math.floor(i / 100)}`;
    const ctl = `${fam}-${Math.floor(i / 10) % 10}`;
    return {
      objective_id: `${ctl}_obj.${i % 10}`,
      objective_label: `${ctl.toUpperCase()}(${i % 10})`,
      objective_text: i === 1234 ? 'the needle statement' : 'an objective statement',
      control_id: ctl,
      control_label: ctl.toUpperCase(),
      family_id: fam,
      baseline_methods: ['EXAMINE'],
      methods: [],
      examined: '',
      interviewed: '',
      tested: '',
      observations: '',
      result: results[i % 3],
      assessor: i % 2 ? 'alice' : 'Bob',
      tested_on: null,
      evidence_ids: [],
      finding_ids: [],
      no_finding_reason: '',
      outside_window: false,
      updated_at: null,
    };
  });
}

function findings(n = 5000): Finding[] {
  const levels = ['low', 'moderate', 'high'] as const;
  return Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    reference: `F-${String(i + 1).padStart(4, '0')}`,
    title: i === 4321 ? 'Weak TLS ciphers' : `Finding ${i}`,
    description: '',
    source: 'manual-test',
    category: 'srtm',
    controls: [i % 2 ? 'ac-2' : 'sc-8'],
    assets: [],
    objective_ids: [],
    likelihood: levels[i % 3],
    impact: levels[i % 3],
    risk: levels[i % 3],
    effective_risk: levels[i % 3],
    risk_statement: '',
    recommendation: '',
    evidence_ids: [],
    status: 'open',
    closure: null,
    open: i % 5 !== 0,
    risk_adjustment: i === 7 ? { status: 'pending', adjusted_likelihood: 'low', adjusted_impact: 'low', adjusted_risk: 'low', rationale: '', evidence_ids: [], flags: [] } : null,
    false_positive: null,
    operational_requirement: null,
    vendor_dependency: null,
    cvss: null,
    library_entry_id: null,
    detected_on: '2026-01-01',
    created_at: '',
    updated_at: '',
  })) as Finding[];
}

describe('control tree', () => {
  it('groups 2,000 objectives into families and controls with counts', () => {
    const rows = objectives();
    const tree = buildTree(rows);
    expect(tree).toHaveLength(20);
    expect(tree[0].controls).toHaveLength(10);
    const total = tree.reduce((n, f) => n + f.counts.total, 0);
    expect(total).toBe(2000);
    const untested = tree.reduce((n, f) => n + f.counts.untested, 0);
    expect(untested).toBe(rows.filter((r) => r.result === 'untested').length);
    expect(tree[0].controls[0].counts).toEqual({ total: 10, satisfied: 3, other: 3, untested: 4 });
    expect(percentTested(tree[0].controls[0].counts)).toBe(60);
    expect(percentTested({ total: 0, satisfied: 0, other: 0, untested: 0 })).toBe(0);
  });
});

describe('objective filters at 2,000 rows', () => {
  const rows = objectives();
  it.each([
    [{ family: 'f3' }, 100],
    [{ control: 'f3-4' }, 10],
    [{ result: 'satisfied' as TestResult }, 667],
    [{ untestedOnly: true }, 667],
    [{ assessor: 'BOB' }, 1000],
    [{ text: 'needle' }, 1],
    // The window test finds its objective by id, which the list does not show as a column.
    [{ text: 'f13-4_obj.2' }, 1],
    [{ family: 'f0', result: 'other-than-satisfied' as TestResult, assessor: 'alice' }, 16],
  ])('%o matches %i rows', (f, n) => {
    expect(filterTestRows(rows, { ...noFilter, ...f })).toHaveLength(n);
  });

  it('costs nothing per row without column filters', () => {
    expect(testRowFilter(noFilter)).toBeNull();
    expect(findingFilter({ risk: '', status: '' })).toBeNull();
    expect(testRowFilter({ ...noFilter, assessor: '  ' })).toBeNull();
  });

  it('renders only a window of the filtered rows', () => {
    const shown = filterTestRows(rows, noFilter);
    const w = rowWindow(30 * 500, 600, 30, shown.length, 10);
    expect(w.end - w.start).toBeLessThan(50);
    expect(w.padTop + (w.end - w.start) * 30 + w.padBottom).toBe(shown.length * 30);
  });
});

describe('rows after a save', () => {
  it('merges changed rows by id, keeping order', () => {
    const rows = objectives(30);
    const changed = { ...rows[4], result: 'satisfied' as TestResult };
    const merged = mergeRows(rows, [changed]);
    expect(merged[4]).toBe(changed);
    expect(merged).toHaveLength(30);
    expect(merged[5]).toBe(rows[5]);
  });
});

describe('findings at 5,000', () => {
  const all = findings();
  it.each([
    [{ text: '', risk: '' as const, status: '' as const }, 5000],
    [{ text: 'tls', risk: '' as const, status: '' as const }, 1],
    [{ text: 'ac-2', risk: '' as const, status: '' as const }, 2500],
    [{ text: '', risk: 'high' as const, status: '' as const }, 1666],
    [{ text: '', risk: '' as const, status: 'closed' as const }, 1000],
  ])('%o matches %i', (f, n) => {
    expect(filterFindings(all, f)).toHaveLength(n);
  });

  it('windows 5,000 rows to a few dozen', () => {
    const w = rowWindow(34 * 4990, 700, 34, all.length, 12);
    expect(w.end).toBe(5000);
    expect(w.end - w.start).toBeLessThan(60);
  });

  it('labels deviations with the core’s answer labels', () => {
    expect(deviationTags(all[7], labelsOf(coreVocabularies, 'deviation_answers'))).toEqual(['RA Pending']);
    expect(deviationTags(all[7], labelsOf(relabel(), 'deviation_answers'))).toEqual(['RA ‹Pending›']);
    expect(deviationTags(all[8], labelsOf(coreVocabularies, 'deviation_answers'))).toEqual([]);
  });
});

describe('CVSS vector editing', () => {
  const order = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A', 'E', 'RL', 'RC'];
  it('sets, orders and removes metrics', () => {
    let v = setCvssMetric('', 'CVSS:3.1', order, 'AC', 'L');
    v = setCvssMetric(v, 'CVSS:3.1', order, 'AV', 'N');
    expect(v).toBe('CVSS:3.1/AV:N/AC:L');
    v = setCvssMetric(v, 'CVSS:3.1', order, 'E', 'P');
    expect(v).toBe('CVSS:3.1/AV:N/AC:L/E:P');
    v = setCvssMetric(v, 'CVSS:3.1', order, 'E', 'X');
    expect(v).toBe('CVSS:3.1/AV:N/AC:L');
    expect(cvssMetrics(v)).toEqual({ AV: 'N', AC: 'L' });
  });
});
