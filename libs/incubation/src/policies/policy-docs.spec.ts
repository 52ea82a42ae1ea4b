import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FACTS, MEASURES } from '../domain/policies/measures';
import { REFERENCE_DATE_RULES, REVIEW_STAGES } from '../domain/policies/policy-types';

const DOCS = readFileSync(resolve(__dirname, '../../../../docs/policies.md'), 'utf8');

describe('docs/policies.md, the bureau-facing reference', () => {
  it.each([...MEASURES.keys()])(
    'given the measure %s, when the docs are read, then it is documented',
    (name) => {
      expect(DOCS).toContain(`\`${name}\``);
    },
  );

  it.each([...FACTS.keys()])('given the fact %s, when the docs are read, then it is documented', (name) => {
    expect(DOCS).toContain(`\`${name}\``);
  });

  it.each([...REFERENCE_DATE_RULES, ...REVIEW_STAGES])(
    'given the setting value %s, when the docs are read, then it is documented',
    (name) => {
      expect(DOCS).toContain(`\`${name}\``);
    },
  );

  it('given the complete example in the docs, when compared with the shipped eaglet policy, then it is the same file', () => {
    const shipped = readFileSync(resolve(__dirname, '../../../../policies/eaglet/wuxi-2024.yaml'), 'utf8');
    expect(DOCS).toContain(shipped);
  });
});
