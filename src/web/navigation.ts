import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../common/actor.js';
import { FeatureCatalog } from '../common/features/discovery.js';
import { may, type Permission } from '../common/permissions.js';

/** A menu entry a feature's pages declare (`@Feature({ navigation })` on their module). */
export interface NavigationEntry {
  href: string;
  /** message key of the label */
  label: string;
  /** shown to those who may do this (the same permission the page's route declares) */
  permission: Permission<never>;
  /** place in the menu, low first */
  order: number;
}

declare module '../common/features/feature.js' {
  interface FeatureDefinition {
    /** the menu entries of its pages */
    navigation?: readonly NavigationEntry[];
  }
}

export interface NavigationItem {
  href: string;
  /** message key of the label */
  label: string;
  current: boolean;
}

/** The menu, gathered from the features' pages. */
@Injectable()
export class Navigation {
  private entries?: NavigationEntry[];

  constructor(private readonly catalog: FeatureCatalog) {}

  /**
   * The menu of a signed-in person: the pages they may open. The one being shown is `current`: the
   * entry whose address is the longest that the path is or lies under (on /training/completion,
   * 受講状況 and not also わたしの研修 at /training).
   */
  for(actor: Pick<Actor, 'roles'>, path: string): NavigationItem[] {
    this.entries ??= this.catalog
      .definitions()
      .flatMap((feature) => feature.navigation ?? [])
      .sort((a, b) => a.order - b.order);
    const shown = this.entries.filter((entry) => may(actor, entry.permission));
    const under = (href: string): boolean => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
    const current = shown
      .filter((entry) => under(entry.href))
      .reduce<string | null>((best, entry) => (best && best.length >= entry.href.length ? best : entry.href), null);
    return shown.map(({ href, label }) => ({ href, label, current: href === current }));
  }
}

/** The path of the request as the browser sent it (middleware may be mounted below the root). */
export function pathOf(request: Request): string {
  return new URL(request.originalUrl, 'http://mamori.invalid').pathname;
}
