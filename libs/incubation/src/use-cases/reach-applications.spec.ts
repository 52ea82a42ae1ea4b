import type { Principal } from '@engine/platform';
import type { ApplicationState } from '../domain/application/application.decider';
import { applicationSight } from './reach';

const code = '91320214MA1XYZ1234';
const application = {
  exists: true,
  created: { creditCode: code, jurisdiction: 'js.wuxi.xinwu', roundJurisdiction: 'js.wuxi' },
  panel: { drawn: ['expert-1'] },
} as unknown as ApplicationState;

const sight = (principal: Principal, asOf?: string) => {
  try {
    return applicationSight(principal, application, asOf);
  } catch (error) {
    const { kind, code, message } = error as { kind: string; code: string; message: string };
    return { kind, code, message };
  }
};
const noSuch = { kind: 'not-found', code: 'APPLICATION_NOT_FOUND', message: 'no such application' };

describe('how a caller reads an application', () => {
  it('shows an expert with a seat on its panel the blind view, now only', () => {
    expect(sight({ sub: 'expert-1', role: 'expert' })).toBe('blind');
    expect(sight({ sub: 'expert-1', role: 'expert' }, '2024-05-01T00:00:00Z')).toEqual(noSuch);
  });

  it('answers an expert without a seat "no such application"', () => {
    expect(sight({ sub: 'expert-2', role: 'expert' })).toEqual(noSuch);
  });

  it('shows it in full to its enterprise, officers over its district and auditors', () => {
    expect(sight({ sub: 'e', role: 'enterprise', org: code })).toBe('full');
    expect(sight({ sub: 'o', role: 'officer', jurisdiction: 'js.wuxi' })).toBe('full');
    expect(sight({ sub: 'a', role: 'auditor' }, '2024-05-01T00:00:00Z')).toBe('full');
  });

  it('answers another enterprise or an officer elsewhere "no such application"', () => {
    expect(sight({ sub: 'e', role: 'enterprise', org: '91320214MA1XYZ9999' })).toEqual(noSuch);
    expect(sight({ sub: 'o', role: 'officer', jurisdiction: 'js.wuxi.liangxi' })).toEqual(noSuch);
  });
});
