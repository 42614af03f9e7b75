import { BUSINESS_TIME_ZONE } from '../common/calendar.js';

/** The repeatable jobs of the `schedules` queue; each job's data names it (a discriminated union). */
export type ScheduleJob = { name: 'review-due' };
export type ScheduleJobName = ScheduleJob['name'];

export interface ScheduleDefinition {
  /** fixed repeat job id: registering again at every start-up is harmless */
  jobId: string;
  cron: string;
  tz: string;
}

/** When each schedule runs; a name missing here fails the type check. */
export const SCHEDULES: Record<ScheduleJobName, ScheduleDefinition> = {
  'review-due': { jobId: 'review-due-daily', cron: '0 8 * * *', tz: BUSINESS_TIME_ZONE },
};
