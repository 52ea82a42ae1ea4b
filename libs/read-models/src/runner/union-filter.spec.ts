import {
  applicationsProjection,
  assignmentsProjection,
  PROJECTIONS,
  timelineProjection,
} from '../projections';
import type { Projection } from '../projection';
import { unionFilter } from './rebuild';

describe('what a rebuild asks the store for', () => {
  it('asks by stream when every projection names its streams', () => {
    expect(unionFilter([applicationsProjection, timelineProjection])).toEqual({
      streamPrefixes: ['application-', 'enterprise-'],
    });
  });

  it('reads everything in position order rather than a list of types (sorted anew for every page)', () => {
    expect(assignmentsProjection.streams).toBeUndefined();
    expect(unionFilter([assignmentsProjection])).toBeUndefined();
    expect(unionFilter(PROJECTIONS)).toBeUndefined();
  });

  it('asks for the one type a projection handles when that is all', () => {
    const single: Projection = { ...assignmentsProjection, handles: ['ExpertPanelDrawn'] };
    expect(unionFilter([single])).toEqual({ types: ['ExpertPanelDrawn'] });
  });
});
