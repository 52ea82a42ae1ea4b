import { ListMembershipsHandler } from './list-memberships.query';
import { ListRoundsHandler } from './list-rounds.query';
import { GetWorklistHandler, IsOnWorklistHandler } from './worklist.query';
import { GetYearStatsHandler } from './year-stats.query';

/**
 * The queries answered from the read models. Each handler asks the incubation context's access
 * module (reach.ts) what the caller may see, then reads; controllers pass the caller and map.
 */
export const READ_QUERY_HANDLERS = [
  ListRoundsHandler,
  ListMembershipsHandler,
  GetYearStatsHandler,
  GetWorklistHandler,
  IsOnWorklistHandler,
];
