import { describe, expect, it } from 'vitest';
import { groupIssues, outlineFor, sectionKey, splitList, statusOf, today, updateFor } from './sap';
import type { SapData, SapIssue, SapSection } from './ipc/bindings';
import { labelsOf } from './vocab';
import { coreVocabularies, relabel } from './vocab.fixture';

const section = labelsOf<SapSection>(coreVocabularies, 'sap_sections');

const issue = (section: SapIssue['section'], severity: SapIssue['severity']): SapIssue => ({ section, severity, message: 'm' });

describe('outlineFor', () => {
  it('lists Appendix D only for significant change requests', () => {
    expect(outlineFor('initial', section).map((s) => s.id)).not.toContain('significant-change');
    expect(outlineFor('scr', section).map((s) => s.id)).toContain('significant-change');
    expect(outlineFor('annual', section).at(-1)?.id).toBe('signatures');
  });
  it('titles each entry with the core’s labels of its sections', () => {
    const titles = Object.fromEntries(outlineFor('scr', section).map((s) => [s.id, s.title]));
    expect(titles['roles']).toBe('Role testing');
    expect(titles['penetration-test']).toBe('Penetration test plan');
    expect(titles['team']).toBe('Team and CSP points of contact');
    const relabelled = outlineFor('initial', labelsOf(relabel(), 'sap_sections'));
    expect(relabelled.find((s) => s.id === 'team')?.title).toBe('‹Team› and ‹CSP points of contact›');
    expect(relabelled.every((s) => s.title.startsWith('‹'))).toBe(true);
  });
});

describe('statusOf', () => {
  const team = outlineFor('initial', section).find((s) => s.id === 'team')!;
  it.each([
    [[], 'complete'],
    [[issue('tools', 'blocking')], 'complete'],
    [[issue('csp-contacts', 'warning')], 'warning'],
    [[issue('team', 'warning'), issue('csp-contacts', 'blocking')], 'blocking'],
  ] as [SapIssue[], string][])('%j gives %s', (issues, expected) => {
    expect(statusOf(team, issues)).toBe(expected);
  });
});

describe('updateFor', () => {
  const data = { tools: [{ name: 'Nessus', vendor: '', version: '', purpose: '' }], team_validation: [], scan_origination_ips: ['10.0.0.1'] } as unknown as SapData;
  it('names the section the core expects', () => {
    expect(updateFor('tools', data)).toEqual({ section: 'tools', data: data.tools });
    expect(updateFor('team', data)).toEqual({ section: 'team-validation', data: [] });
    expect(updateFor('scan-origination', data)).toEqual({ section: 'scan-origination', data: ['10.0.0.1'] });
    expect(updateFor('signatures', data)).toBeNull();
  });
});

describe('splitList and today', () => {
  it('splits on commas and drops blanks', () => {
    expect(splitList(' a, b ,, c ')).toEqual(['a', 'b', 'c']);
    expect(splitList('')).toEqual([]);
  });
  it('formats local dates', () => {
    expect(today(new Date(2026, 2, 5))).toBe('2026-03-05');
  });
});

describe('groupIssues', () => {
  it('counts repeated messages and keeps the first order', () => {
    const a = { section: 'roles', severity: 'warning', message: 'no test user' } as SapIssue;
    const b = { section: 'roles', severity: 'blocking', message: 'no reason' } as SapIssue;
    expect(groupIssues([a, b, a]).map((i) => [i.message, i.count])).toEqual([
      ['no test user', 2],
      ['no reason', 1],
    ]);
  });
});

describe('sections', () => {
  it('name the data a discarded change restores', () => {
    expect(sectionKey('team')).toBe('team_validation');
    expect(sectionKey('scan-origination')).toBe('scan_origination_ips');
    expect(sectionKey('signatures')).toBeNull();
    // Every stored section restores exactly the part of the data that updateFor saves.
    const keys = outlineFor('scr', section).map((s) => sectionKey(s.id)).filter((k) => k !== null);
    const data = Object.fromEntries(keys.map((k) => [k, { part: k }])) as unknown as SapData;
    for (const s of outlineFor('scr', section)) {
      const key = sectionKey(s.id);
      if (key) expect(updateFor(s.id, data)?.data).toBe(data[key]);
      else expect(updateFor(s.id, data)).toBeNull();
    }
  });
});
