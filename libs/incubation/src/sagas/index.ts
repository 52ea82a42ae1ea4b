import type { Saga } from '@engine/workflow/sagas/saga';
import { deadlinesSaga } from './deadlines.saga';

/** Every saga of the incubation context, as the worker runs them. */
export const INCUBATION_SAGAS: readonly Saga[] = [deadlinesSaga];
