import { describe, expect, it } from 'vitest';
import type { FindingSource, Vocabularies } from './ipc/bindings';
import { choicesOf, labelsOf, vocabLabel } from './vocab';
import { coreVocabularies, relabel } from './vocab.fixture';

// The shape `startup` sends; labels as the core words them.
const v: Vocabularies = {
  ...coreVocabularies,
  impact_levels: [
    { code: 'li-saas', label: 'LI-SaaS' },
    { code: 'moderate', label: 'Moderate' },
  ],
  authorization_paths: [{ code: 'jab', label: 'JAB' }],
  assessment_types: [{ code: 'scr', label: 'Significant Change' }],
  sides: [
    { code: '3pao', label: '3PAO' },
    { code: 'csp', label: 'CSP' },
  ],
  team_roles: [{ code: 'assessment-team', label: 'Assessor' }],
};

describe('vocabLabel', () => {
  it('reads the label of a code from the named vocabulary', () => {
    expect(vocabLabel(v, 'impact_levels', 'li-saas')).toBe('LI-SaaS');
    expect(vocabLabel(v, 'assessment_types', 'scr')).toBe('Significant Change');
    expect(vocabLabel(v, 'sides', '3pao')).toBe('3PAO');
    expect(vocabLabel(v, 'team_roles', 'assessment-team')).toBe('Assessor');
  });
  it('does not mix vocabularies up', () => {
    expect(vocabLabel(v, 'sides', 'moderate')).toBe('moderate');
  });
  it('falls back to the code for a value the core does not list', () => {
    expect(vocabLabel(v, 'authorization_paths', 'agency')).toBe('agency');
  });
  it('keeps the vocabularies of different startups apart', () => {
    const other: Vocabularies = { ...v, sides: [{ code: '3pao', label: 'Independent assessor' }] };
    expect(vocabLabel(v, 'sides', '3pao')).toBe('3PAO');
    expect(vocabLabel(other, 'sides', '3pao')).toBe('Independent assessor');
  });
});

describe('labelsOf', () => {
  it('looks labels up in one vocabulary', () => {
    const level = labelsOf(coreVocabularies, 'risk_levels');
    expect(level('high')).toBe('High');
    expect(level('li-saas')).toBe('li-saas');
    expect(labelsOf(relabel(), 'risk_levels')('high')).toBe('‹High›');
  });
});

describe('choicesOf', () => {
  it('lists a vocabulary in the model’s order', () => {
    expect(choicesOf(coreVocabularies, 'deviation_answers').map((c) => c.code)).toEqual(['yes', 'no', 'pending']);
    expect(choicesOf(relabel(), 'test_methods').map((c) => c.label)).toEqual(['‹Examine›', '‹Interview›', '‹Test›']);
  });
  it('leaves out what `keep` refuses', () => {
    const manual = choicesOf<FindingSource>(coreVocabularies, 'finding_sources', (s) => s !== 'scan');
    expect(manual.map((c) => c.code)).toEqual(['documentation-review', 'interview', 'manual-test', 'penetration-test']);
    expect(manual.map((c) => c.label)).toContain('Manual Testing');
  });
});
