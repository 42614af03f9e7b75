import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Actor } from '../../common/actor.js';
import { addDays, DUE_SOON_DAYS, tokyoToday } from '../../common/calendar.js';
import { FeatureCatalog, providerMarker } from '../../common/features/discovery.js';

/** The days a work item counts from: today in Tokyo, and the last day of "due soon". */
export interface WorkDays {
  today: string;
  until: string;
}

/** One line of the work queue: something the security office must do, how much of it, and where it is done. */
export interface WorkItem {
  /** message key of what is due, e.g. `work.controlsDue` (the catalogue also holds `<key>.hint`) */
  label: string;
  /** how many are due (overdue included) */
  count: number;
  /** how many of them are overdue */
  overdue: number;
  /** the page where the work is done */
  href: string;
  /** place in the queue, low first */
  order: number;
}

/** A feature's pages that know some of the security office's work. */
export interface WorkQueueProvider {
  /** the items this actor works on (none when they may not) */
  workItems(actor: Actor, days: WorkDays): Promise<WorkItem[]>;
}

const WORK_QUEUE_SOURCES = providerMarker('work-queue-source');

/** Marks a provider of a feature's pages as a WorkQueueProvider of the work queue (found at start-up). */
export const WorkQueueSource = (): ClassDecorator => WORK_QUEUE_SOURCES.mark(true);

/**
 * The security office's work queue (作業一覧): what is due within 30 days or overdue, counted by
 * each provider marked `@WorkQueueSource()` (controls to check, policy reviews, acknowledgements).
 */
@Injectable()
export class WorkQueueService implements OnModuleInit {
  private providers: WorkQueueProvider[] = [];

  constructor(private readonly catalog: FeatureCatalog) {}

  onModuleInit(): void {
    this.providers = this.catalog.providers<WorkQueueProvider, true>(WORK_QUEUE_SOURCES).map(({ instance }) => instance);
  }

  async items(actor: Actor, now: Date = new Date()): Promise<{ days: WorkDays; items: WorkItem[] }> {
    const today = tokyoToday(now);
    const days = { today, until: addDays(today, DUE_SOON_DAYS) };
    const lists = await Promise.all(this.providers.map((provider) => provider.workItems(actor, days)));
    return { days, items: lists.flat().sort((a, b) => a.order - b.order) };
  }
}
