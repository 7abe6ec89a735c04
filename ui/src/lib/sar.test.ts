import { describe, expect, it } from 'vitest';
import type { ConsistencyCheck, DeviationAnswer, Recommendation, RiskItem, RiskLevel, Table22Counts } from './ipc/bindings';
import { columnIndex, filterRows } from './table';
import { labelsOf } from './vocab';
import { coreVocabularies, relabel } from './vocab.fixture';
import {
  checkCounts,
  checkTarget,
  controlsText,
  deviationsText,
  layoutBars,
  levelBars,
  niceMax,
  ofTotal,
  poamIdPreview,
  poamSearchText,
  recommendationText,
  riskText,
  shortList,
  sortChecks,
  table22Cells,
  table22Columns,
  tabCounts,
  ticks,
  withoutField,
} from './sar';

function item(over: Partial<RiskItem>): RiskItem {
  return {
    poam_id: 'POAM-0001',
    tab: 'ret',
    poam_tab: 'open',
    origin: { kind: 'finding', id: 'f1', reference: 'F-001' },
    category: 'srtm',
    controls: ['ac-2'],
    name: 'Dormant accounts',
    description: '',
    detector_source: 'Assessment Test Case',
    source_identifier: 'F-001',
    assets: [],
    detected_on: '2026-01-02',
    original_risk: 'high',
    adjusted_risk: null,
    effective_risk: 'high',
    critical: false,
    risk_adjustment: 'no',
    false_positive: 'no',
    operational_requirement: 'no',
    vendor_dependency: false,
    vendor_product: '',
    last_vendor_check_in: null,
    deviation_rationale: '',
    remediation: '',
    comments: '',
    cves: [],
    kev_due: null,
    scheduled_completion: '2026-02-01',
    closed_on: null,
    evidence_ids: [],
    ...over,
  };
}

function check(over: Partial<ConsistencyCheck>): ConsistencyCheck {
  return { code: 'SAR-001', severity: 'error', message: '', hint: '', page: 'sar', subject: null, ...over };
}

const level = labelsOf<RiskLevel>(coreVocabularies, 'risk_levels');
const answer = labelsOf<DeviationAnswer>(coreVocabularies, 'deviation_answers');

describe('Table 2-2', () => {
  it('has the template’s ten columns, Total first and CM-6 last', () => {
    const cols = table22Columns(labelsOf(coreVocabularies, 'finding_categories'));
    expect(cols).toHaveLength(10);
    expect(cols[0].label).toBe('Total');
    expect(cols[3]).toEqual({ key: 'srtm', label: 'SRTM Test Cases' });
    expect(cols[9]).toEqual({ key: 'cm6', label: 'CM-6 Finds' });
  });

  it('titles the category columns with the core’s category labels', () => {
    const cols = table22Columns(labelsOf(relabel(), 'finding_categories'));
    expect(cols.map((c) => c.label)).toEqual([
      'Total', 'Operational Requirement (OR)', 'Vendor Dependency (VD)', '‹SRTM Test Cases›', '‹OS Scans›',
      '‹Web Scans›', '‹DB Scans›', '‹Container Scans›', '‹Pen Test›', '‹CM-6 Finds›',
    ]);
  });

  it('reads every count of a row into the matching column', () => {
    const counts: Table22Counts = {
      total: 1, operational_requirement: 2, vendor_dependency: 3, srtm: 4, os_scans: 5,
      web_scans: 6, db_scans: 7, container_scans: 8, pen_test: 9, cm6: 10,
    };
    // Each field has a distinct value, so a swapped or missing column shows up as a wrong sequence.
    expect(table22Cells(counts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('chart scaling', () => {
  it.each([
    [0, 1],
    [-3, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [12, 20],
    [20, 20],
    [51, 100],
    [240, 500],
  ])('rounds a maximum of %d up to %d', (max, top) => {
    expect(niceMax(max)).toBe(top);
  });

  it('puts gridlines on integers, at most six', () => {
    expect(ticks(1)).toEqual([0, 1]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(100)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('scales the bars to the plot width and keeps a zero bar empty', () => {
    const c = layoutBars(levelBars({ open_high: 4, open_moderate: 2, open_low: 0 }, level), 300, 30);
    expect(c.top).toBe(5);
    expect(c.bars.map((b) => b.width)).toEqual([240, 120, 0]);
    expect(c.bars.map((b) => b.y)).toEqual([0, 30, 60]);
    expect(c.height).toBe(90);
    expect(c.grid.at(-1)).toEqual({ x: 300, value: 5 });
  });

  it('labels the level bars High first, with the core’s level labels', () => {
    const bars = levelBars({ open_high: 1, open_moderate: 2, open_low: 3 }, labelsOf(relabel(), 'risk_levels'));
    expect(bars.map((b) => [b.label, b.value, b.tone])).toEqual([
      ['‹High›', 1, 'risk-high'],
      ['‹Moderate›', 2, 'risk-moderate'],
      ['‹Low›', 3, 'risk-low'],
    ]);
  });

  it('keeps a tiny non-zero bar visible', () => {
    const c = layoutBars([{ label: 'a', value: 1, tone: '' }, { label: 'b', value: 1000, tone: '' }], 200, 20);
    expect(c.bars[0].width).toBe(2);
    expect(c.bars[1].width).toBe(200);
  });

  it('draws an axis when every value is zero', () => {
    const c = layoutBars(levelBars({ open_high: 0, open_moderate: 0, open_low: 0 }, level), 100, 10);
    expect(c.top).toBe(1);
    expect(c.bars.every((b) => b.width === 0)).toBe(true);
  });
});

describe('POA&M preview', () => {
  const items = [
    item({ poam_id: 'NW-01', poam_tab: 'open', cves: ['CVE-2024-1234'] }),
    item({ poam_id: 'NW-02', poam_tab: 'closed', name: 'Weak TLS' }),
    item({ poam_id: 'NW-03', poam_tab: 'configuration', controls: ['cm-6'] }),
    item({ poam_id: 'NW-04', poam_tab: 'open', detector_source: 'Nessus' }),
  ];

  it('counts the items of each tab', () => {
    expect(tabCounts(items)).toEqual({ open: 2, closed: 1, configuration: 1 });
    expect(tabCounts([])).toEqual({ open: 0, closed: 0, configuration: 0 });
  });

  it('finds items by id, control, CVE or detector source', () => {
    const index = columnIndex(items, [], poamSearchText);
    expect(filterRows(items, index, 'cve-2024-1234').map((i) => i.poam_id)).toEqual(['NW-01']);
    expect(filterRows(items, index, 'cm-6').map((i) => i.poam_id)).toEqual(['NW-03']);
    expect(filterRows(items, index, 'nessus').map((i) => i.poam_id)).toEqual(['NW-04']);
    expect(filterRows(items, index, 'nw-02 tls').map((i) => i.poam_id)).toEqual(['NW-02']);
  });

  it('shows the adjusted rating only when it differs', () => {
    expect(riskText({ original_risk: 'high', adjusted_risk: null }, level)).toBe('High');
    expect(riskText({ original_risk: 'high', adjusted_risk: 'high' }, level)).toBe('High');
    expect(riskText({ original_risk: 'high', adjusted_risk: 'moderate' }, level)).toBe('High → Moderate');
    expect(riskText({ original_risk: 'low', adjusted_risk: 'moderate' }, labelsOf(relabel(), 'risk_levels'))).toBe('‹Low› → ‹Moderate›');
  });

  it('lists only the deviations that are claimed', () => {
    expect(deviationsText(item({}), answer)).toBe('');
    expect(deviationsText(item({ risk_adjustment: 'yes', operational_requirement: 'pending' }), answer)).toBe('RA Yes · OR Pending');
    expect(deviationsText(item({ false_positive: 'yes' }), answer)).toBe('FP Yes');
    expect(deviationsText(item({ false_positive: 'pending' }), labelsOf(relabel(), 'deviation_answers'))).toBe('FP ‹Pending›');
  });

  it('writes controls upper case and shortens long lists', () => {
    expect(controlsText(['ac-2', 'ia-5(1)'])).toBe('AC-2, IA-5(1)');
    expect(shortList(['a', 'b'])).toBe('a, b');
    expect(shortList(['a', 'b', 'c', 'd'])).toBe('a, b +2');
  });

  it('previews ids as the core numbers them', () => {
    expect(poamIdPreview({ id_prefix: 'POAM-', id_start: 1, id_digits: 4 }, 0)).toBe('POAM-0001');
    expect(poamIdPreview({ id_prefix: 'NW-', id_start: 98, id_digits: 2 }, 3)).toBe('NW-101');
    expect(poamIdPreview({ id_prefix: '', id_start: 7, id_digits: 0 }, 0)).toBe('7');
  });
});

describe('consistency checks', () => {
  const checks = [
    check({ code: 'SAR-009', severity: 'warning', page: 'sap' }),
    check({ code: 'SAR-005', severity: 'error', page: 'coverage', subject: 'uuid-1' }),
    check({ code: 'SAR-002', severity: 'error', page: 'testing', subject: 'ac-2_obj.a' }),
  ];

  it('puts errors first, then orders by code', () => {
    expect(sortChecks(checks).map((c) => c.code)).toEqual(['SAR-002', 'SAR-005', 'SAR-009']);
    expect(checks[0].code).toBe('SAR-009');
  });

  it('counts errors and warnings', () => {
    expect(checkCounts(checks)).toEqual({ errors: 2, warnings: 1 });
  });

  it('links a check to its page and subject, and not to a page the app lacks', () => {
    const ids = ['testing', 'coverage', 'sap', 'sar'];
    expect(checkTarget(checks[1], ids)).toEqual({ page: 'coverage', target: 'uuid-1' });
    expect(checkTarget(checks[0], ids)).toEqual({ page: 'sap' });
    expect(checkTarget(check({ page: 'package' }), ids)).toBeNull();
  });
});

describe('wording', () => {
  it('words a recommendation as the core states it, capitalised', () => {
    const statement = labelsOf<Recommendation>(coreVocabularies, 'recommendations');
    expect(recommendationText(statement, 'recommend')).toBe('Recommends this system for authorization');
    expect(recommendationText(statement, 'do-not-recommend-continued')).toBe('Does not recommend this system for continued authorization');
    expect(recommendationText(labelsOf(relabel(), 'recommendations'), 'do-not-recommend')).toBe('‹does not recommend this system for authorization›');
  });

  it('shows a share with its percentage', () => {
    expect(ofTotal(3, 4)).toBe('3 of 4 (75%)');
    expect(ofTotal(0, 0)).toBe('0');
  });
});

describe('refusals', () => {
  it('drops the field name the control already shows', () => {
    expect(withoutField('recommendation: 1 High risk(s) remain open', 'recommendation')).toBe('1 High risk(s) remain open');
    expect(withoutField('no engagement is open', 'recommendation')).toBe('no engagement is open');
  });
});
