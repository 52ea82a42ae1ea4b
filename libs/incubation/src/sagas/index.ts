import type { Saga } from '@engine/workflow';
import { calendarSaga } from './calendar.saga';
import { deadlinesSaga } from './deadlines.saga';
import { expertReviewSaga } from './expert-review.saga';
import { membershipsSaga } from './memberships.saga';
import { publicitySaga } from './publicity.saga';

/** Every saga of the incubation context, as the worker runs them. */
export const INCUBATION_SAGAS: readonly Saga[] = [
  deadlinesSaga,
  expertReviewSaga,
  publicitySaga,
  membershipsSaga,
  calendarSaga,
];
