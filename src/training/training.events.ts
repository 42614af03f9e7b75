/** What the training feature tells the others (`tx.publish`), in the transaction of the change. */
declare module '../common/events/domain-events.js' {
  interface DomainEventMap {
    /** a course was published: its audience is enrolled */
    'training.course_published': { courseId: string; fiscalYear: number; kind: string; enrolled: number };
    /** enrolments were completed (by the people themselves, or by recorded attendance) */
    'training.enrolments_completed': { courseId: string; enrolmentIds: string[] };
  }
}

export {};
