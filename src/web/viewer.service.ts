import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../common/actor.js';
import { may } from '../common/permissions.js';
import { INDICATORS } from '../indicators/indicators.permissions.js';
import type { StaffView } from '../staff/dto/staff-view.dto.js';
import { Navigation, pathOf, type NavigationItem } from './navigation.js';
import { WEB } from './web.permissions.js';

/** What the layout shows about the signed-in person. */
export interface ViewContext {
  viewer: { name: string } | null;
  navigation: NavigationItem[];
  /** where the person's work starts (the site name in the header links there) */
  home: string;
}

/** the work queue: what the security office has to do */
export const WORK_QUEUE_PATH = '/work';

/** the indicators' dashboard: the home page of the security office, the CISO and the auditors */
export const DASHBOARD_PATH = '/dashboard';

/** Each role's home: those who read the plan's indicators start on the dashboard, others with a work queue on it, everyone else on "my page". */
export function homeOf(actor: Pick<Actor, 'roles'> | null): string {
  if (actor && may(actor, INDICATORS.read)) return DASHBOARD_PATH;
  return actor && may(actor, WEB.work_queue) ? WORK_QUEUE_PATH : '/';
}

export function fullName(staff: Pick<StaffView, 'familyName' | 'givenName'>): string {
  return `${staff.familyName} ${staff.givenName}`;
}

/**
 * The signed-in person of a request (set by the access guard on routes that need one), and their
 * staff record (read by the guard with the session).
 */
@Injectable()
export class ViewerService {
  constructor(private readonly navigation: Navigation) {}

  actorOf(request: Request): Actor | null {
    return (request as Request & { user?: Actor }).user ?? null;
  }

  staffOf(request: Request): StaffView | null {
    const person = this.actorOf(request)?.person as StaffView | undefined;
    return person ?? null;
  }

  /** Never fails: a page without a known person gets the anonymous layout. */
  async viewContext(request: Request): Promise<ViewContext> {
    const actor = this.actorOf(request);
    if (!actor) return { viewer: null, navigation: [], home: '/' };
    const staff = this.staffOf(request);
    // the answer to a form belongs to the page the form was on (its menu entry is the current one)
    const page: unknown = request.res?.locals.pageUrl;
    const path = typeof page === 'string' ? new URL(page, 'http://mamori.invalid').pathname : pathOf(request);
    return { viewer: { name: staff ? fullName(staff) : actor.label }, navigation: this.navigation.for(actor, path), home: homeOf(actor) };
  }
}
