import { DeciderSpecification } from '../../testing/decider-specification';
import { expertPoolDecider } from './expert-pool.decider';
import type { ExpertProfile } from './expert-pool.events';

const spec = DeciderSpecification.for(expertPoolDecider);
const expert = {
  id: 'e-1',
  name: '王专家',
  field: 'finance',
  affiliations: ['913', '913'],
} as unknown as ExpertProfile;

describe('expert pool decider', () => {
  it('registers an expert once, affiliations without repeats', () => {
    spec
      .given([])
      .when({ type: 'RegisterExpert', expert })
      .then([{ type: 'ExpertRegistered', data: { ...expert, affiliations: ['913'] } }]);
    spec
      .given([{ type: 'ExpertRegistered', data: expert }])
      .when({ type: 'RegisterExpert', expert })
      .then('EXPERT_EXISTS');
  });
});
