import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { formatDate } from '../common/dates.js';
import { OnDomainEvent, type DomainEvent } from '../common/events/domain-events.js';
import type { Locale } from '../common/locale.js';
import type { MamoriConfig } from '../config/configuration.js';
import type { Transaction } from '../database/unit-of-work.js';
import { NotificationTemplate, type Mail, type NotificationIntent, type NotificationRecipient } from '../notifications/notification-intent.js';
import { drillInvitation, tokyoLocal } from './drill-calendar.js';
import { Drill } from './drill.entity.js';
import { drillPeople, invitationsOf } from './drill-people.js';
import './drill.events.js';

/** Why an invitation goes out: the drill was scheduled, changed or cancelled. */
export type InvitationOccasion = 'scheduled' | 'changed' | 'cancelled';

declare module '../outbox/outbox-topics.js' {
  interface OutboxTopics {
    /**
     * the drill's invitation at this SEQUENCE (METHOD:REQUEST, or METHOD:CANCEL once cancelled) to its
     * facilitator and every active person invited; read when sent: a later change supersedes it
     * (dedupe key `drill-invitation:<drillId>:<sequence>`)
     */
    'drills.invitation': { drillId: string; sequence: number; occasion: InvitationOccasion };
    /** the cancellation (METHOD:CANCEL) to the people a change took off the drill (dedupe key `drill-uninvited:<drillId>:<sequence>`) */
    'drills.uninvited': { drillId: string; sequence: number; staffIds: string[] };
  }
}

const KIND_WORDS: Record<Locale, Record<string, string>> = {
  ja: { tabletop: '机上訓練', functional: '機能訓練', full_scale: '総合訓練' },
  en: { tabletop: 'tabletop', functional: 'functional', full_scale: 'full-scale' },
};
const WEEKDAYS: Record<Locale, string[]> = {
  ja: ['日', '月', '火', '水', '木', '金', '土'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

/** `2026年12月10日（木）14:00〜16:00` (ja) or `Thu 10 December 2026, 14:00–16:00` (en), in Tokyo; another end day is written out. */
export function drillWhen(startsAt: Date, endsAt: Date, locale: Locale): string {
  const day = (moment: Date): string => {
    const local = tokyoLocal(moment);
    const iso = `${local.slice(0, 4)}-${local.slice(4, 6)}-${local.slice(6, 8)}`;
    const weekday = WEEKDAYS[locale][new Date(`${iso}T00:00:00Z`).getUTCDay()]!;
    return locale === 'ja' ? `${formatDate(iso, 'ja')}（${weekday}）` : `${weekday} ${formatDate(iso, 'en')},`;
  };
  const time = (moment: Date): string => `${tokyoLocal(moment).slice(9, 11)}:${tokyoLocal(moment).slice(11, 13)}`;
  const sameDay = tokyoLocal(startsAt).slice(0, 8) === tokyoLocal(endsAt).slice(0, 8);
  if (locale === 'ja') return `${day(startsAt)}${time(startsAt)}〜${sameDay ? '' : day(endsAt)}${time(endsAt)}`;
  return `${day(startsAt)} ${time(startsAt)}–${sameDay ? '' : `${day(endsAt)} `}${time(endsAt)}`;
}

/** What a drill's mail says (every kind of it): title, kind, scenario, when, where, who leads, the page. */
export interface DrillMailFacts {
  drillId: string;
  title: string;
  kind: string;
  scenarioTitle: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  onlineUrl: string | null;
  facilitatorName: string | null;
  url: string;
}

/** The lines every drill mail lists, in the recipient's language. */
export function drillDetails(locale: Locale, data: DrillMailFacts): string {
  const when = drillWhen(new Date(data.startsAt), new Date(data.endsAt), locale);
  const kind = KIND_WORDS[locale][data.kind] ?? data.kind;
  const lines =
    locale === 'ja'
      ? [
          `訓練: ${data.title}`,
          `種別: ${kind}`,
          `シナリオ: ${data.scenarioTitle}`,
          `日時: ${when}`,
          ...(data.location ? [`場所: ${data.location}`] : []),
          ...(data.onlineUrl ? [`オンライン: ${data.onlineUrl}`] : []),
          ...(data.facilitatorName ? [`進行役: ${data.facilitatorName}`] : []),
        ]
      : [
          `Drill: ${data.title}`,
          `Kind: ${kind}`,
          `Scenario: ${data.scenarioTitle}`,
          `When: ${when}`,
          ...(data.location ? [`Where: ${data.location}`] : []),
          ...(data.onlineUrl ? [`Online: ${data.onlineUrl}`] : []),
          ...(data.facilitatorName ? [`Facilitator: ${data.facilitatorName}`] : []),
        ];
  return `${lines.join('\n')}\n\n  ${data.url}`;
}

interface PersonRow {
  id: string;
  email: string;
  family_name: string;
  given_name: string;
  locale: Locale;
}

/** The active people among `ids`, in employee-number order. */
export async function peopleByIds(manager: EntityManager, organizationId: string, ids: readonly string[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return (await manager.query(
    `SELECT s.id, s.email, s.family_name, s.given_name, s.locale FROM staff s
      WHERE s.organization_id = $1 AND s.id = ANY($2::uuid[]) AND s.status = 'active' ORDER BY s.employee_number`,
    [organizationId, ids],
  )) as PersonRow[];
}

/** A drill with what its mails say, or null when it is not in the organisation. */
export async function drillMailFacts(
  manager: EntityManager,
  organizationId: string,
  drillId: string,
  publicUrl: string,
): Promise<{ drill: Drill; facts: DrillMailFacts; organizer: { email: string | null } } | null> {
  const drill = await manager.getRepository(Drill).findOneBy({ id: drillId, organizationId });
  if (!drill) return null;
  const invitation = (await invitationsOf(manager, organizationId, [drill])).get(drill.id)!;
  return {
    drill,
    organizer: { email: invitation.organizerEmail },
    facts: {
      drillId: drill.id,
      title: drill.title,
      kind: drill.kind,
      scenarioTitle: invitation.scenarioTitle,
      startsAt: drill.startsAt,
      endsAt: drill.endsAt,
      location: drill.location,
      onlineUrl: drill.onlineUrl,
      facilitatorName: invitation.organizerName,
      url: `${publicUrl}/drills/${drill.id}`,
    },
  };
}

/**
 * Drill invitations by e-mail: when a drill is scheduled, changed or cancelled (its events, in the
 * change's transaction), the invitation at the new SEQUENCE is written to the outbox for its
 * facilitator and everyone invited; the people a change took off the drill get its cancellation.
 * The mails go after the commit (the notifications queue), each with the invitation attached.
 */
@Injectable()
export class DrillInvitations {
  @OnDomainEvent('drill.scheduled')
  async onScheduled(event: DomainEvent<'drill.scheduled'>, tx: Transaction): Promise<void> {
    await this.invite(tx, event.drillId, event.sequence, 'scheduled');
  }

  @OnDomainEvent('drill.changed')
  async onChanged(event: DomainEvent<'drill.changed'>, tx: Transaction): Promise<void> {
    await this.invite(tx, event.drillId, event.sequence, 'changed');
    const drill = await tx.manager.getRepository(Drill).findOneByOrFail({ id: event.drillId, organizationId: tx.actor.organizationId });
    if (drill.endsAt.getTime() <= Date.now()) return;
    const now = new Set(await drillPeople(tx.manager, tx.actor.organizationId, drill));
    const removed = (await drillPeople(tx.manager, tx.actor.organizationId, event.before)).filter((id) => !now.has(id));
    if (removed.length === 0) return;
    await tx.outbox({
      topic: 'drills.uninvited',
      dedupeKey: `drill-uninvited:${event.drillId}:${event.sequence}`,
      payload: { drillId: event.drillId, sequence: event.sequence, staffIds: removed },
    });
  }

  @OnDomainEvent('drill.cancelled')
  async onCancelled(event: DomainEvent<'drill.cancelled'>, tx: Transaction): Promise<void> {
    await this.invite(tx, event.drillId, event.sequence, 'cancelled');
  }

  /** Nothing is sent for a drill already over: it is being recorded after the fact (a paper record, past drills entered later). */
  private async invite(tx: Transaction, drillId: string, sequence: number, occasion: InvitationOccasion): Promise<void> {
    const [drill] = (await tx.manager.query(`SELECT ends_at > now() AS ahead FROM drills WHERE id = $1`, [drillId])) as { ahead: boolean }[];
    if (!drill?.ahead) return;
    await tx.outbox({ topic: 'drills.invitation', dedupeKey: `drill-invitation:${drillId}:${sequence}`, payload: { drillId, sequence, occasion } });
  }
}

interface InvitationData extends DrillMailFacts {
  occasion: InvitationOccasion | 'uninvited';
  method: 'REQUEST' | 'CANCEL';
  ics: string;
}

function invitationMail(locale: Locale, data: InvitationData): Mail {
  const details = drillDetails(locale, data);
  const calendar = { method: data.method, content: data.ics, filename: 'invite.ics' };
  if (locale === 'en') {
    const heads: Record<InvitationData['occasion'], [string, string]> = {
      scheduled: ['Drill invitation', 'You are invited to the drill below. The attached invitation (invite.ics) adds it to your calendar.'],
      changed: ['Drill changed', 'The drill below has changed. The attached invitation (invite.ics) updates your calendar.'],
      cancelled: ['Drill cancelled', 'The drill below is cancelled. The attached cancellation (invite.ics) removes it from your calendar.'],
      uninvited: [
        'Drill: you are no longer invited',
        'You are no longer invited to the drill below. The attached cancellation (invite.ics) removes it from your calendar.',
      ],
    };
    const [head, lead] = heads[data.occasion];
    return { subject: `[Mamori] ${head}: ${data.title}`, text: `${lead}\n\n${details}`, calendar };
  }
  const heads: Record<InvitationData['occasion'], [string, string]> = {
    scheduled: ['訓練のご案内', '次の訓練にご参加ください。添付の招待（invite.ics）を開くと、カレンダーに登録できます。'],
    changed: ['訓練の予定変更', '次の訓練の予定が変わりました。添付の招待（invite.ics）を開くと、カレンダーの予定が更新されます。'],
    cancelled: ['訓練の中止', '次の訓練は中止になりました。添付の取消（invite.ics）を開くと、カレンダーから予定が削除されます。'],
    uninvited: ['訓練のご案内の取消', '次の訓練の参加者から外れました。添付の取消（invite.ics）を開くと、カレンダーから予定が削除されます。'],
  };
  const [head, lead] = heads[data.occasion];
  return { subject: `【${head}】${data.title}（${drillWhen(new Date(data.startsAt), new Date(data.endsAt), 'ja')}）`, text: `${lead}\n\n${details}`, calendar };
}

function recipientOf(person: PersonRow, data: InvitationData): NotificationRecipient<InvitationData> {
  return { key: person.id, email: person.email, familyName: person.family_name, givenName: person.given_name, locale: person.locale, data };
}

/** The invitation at one SEQUENCE to the drill's people (its facilitator and everyone invited, active), with the .ics attached. */
@Injectable()
@NotificationTemplate('drills.invitation')
export class DrillInvitationMail implements NotificationIntent<'drills.invitation', InvitationData> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(
    manager: EntityManager,
    payload: { drillId: string; sequence: number; occasion: InvitationOccasion },
    organizationId: string,
  ): Promise<NotificationRecipient<InvitationData>[]> {
    const found = await drillMailFacts(manager, organizationId, payload.drillId, this.publicUrl);
    // a later change (or the cancellation) has its own message: this one is superseded
    if (!found || found.drill.sequence !== payload.sequence) return [];
    const invitation = (await invitationsOf(manager, organizationId, [found.drill])).get(found.drill.id)!;
    const data: InvitationData = {
      ...found.facts,
      occasion: payload.occasion,
      method: invitation.cancelled ? 'CANCEL' : 'REQUEST',
      ics: drillInvitation(invitation),
    };
    const people = await peopleByIds(manager, organizationId, await drillPeople(manager, organizationId, found.drill));
    return people.map((person) => recipientOf(person, data));
  }

  render(locale: Locale, data: InvitationData): Mail {
    return invitationMail(locale, data);
  }
}

/** The cancellation (METHOD:CANCEL at the change's SEQUENCE) to the people a change took off the drill. */
@Injectable()
@NotificationTemplate('drills.uninvited')
export class DrillUninvitedMail implements NotificationIntent<'drills.uninvited', InvitationData> {
  private readonly publicUrl: string;

  constructor(config: ConfigService<MamoriConfig, true>) {
    this.publicUrl = config.get('app', { infer: true }).publicUrl;
  }

  async recipients(
    manager: EntityManager,
    payload: { drillId: string; sequence: number; staffIds: string[] },
    organizationId: string,
  ): Promise<NotificationRecipient<InvitationData>[]> {
    const found = await drillMailFacts(manager, organizationId, payload.drillId, this.publicUrl);
    if (!found) return [];
    // invited again by a later change: that change's invitation is theirs
    const invitedNow = new Set(found.drill.sequence === payload.sequence ? [] : await drillPeople(manager, organizationId, found.drill));
    const invitation = (await invitationsOf(manager, organizationId, [found.drill])).get(found.drill.id)!;
    const data: InvitationData = {
      ...found.facts,
      occasion: 'uninvited',
      method: 'CANCEL',
      ics: drillInvitation({ ...invitation, sequence: payload.sequence, cancelled: true }),
    };
    const people = await peopleByIds(
      manager,
      organizationId,
      payload.staffIds.filter((id) => !invitedNow.has(id)),
    );
    return people.map((person) => recipientOf(person, data));
  }

  render(locale: Locale, data: InvitationData): Mail {
    return invitationMail(locale, data);
  }
}
