import type { Projection } from '../projection';
import { applicationsProjection } from './applications.projection';
import { enterprisesProjection } from './enterprises.projection';
import { roundsProjection } from './rounds.projection';
import { timersProjection } from './timers.projection';
import { membershipsProjection } from './memberships.projection';
import { assignmentsProjection } from './assignments.projection';
import { timelineProjection } from './timeline.projection';

export {
  applicationsProjection,
  assignmentsProjection,
  enterprisesProjection,
  membershipsProjection,
  roundsProjection,
  timelineProjection,
  timersProjection,
};
export type { TimelineEntry } from './timeline.projection';

/** Every projection the worker runs and `npm run cli -- rebuild` knows. */
export const PROJECTIONS: readonly Projection[] = [
  applicationsProjection,
  enterprisesProjection,
  roundsProjection,
  timelineProjection,
  timersProjection,
  membershipsProjection,
  assignmentsProjection,
];
