import { Module } from '@nestjs/common';
import { Feature } from '../../common/features/feature.js';
import { IncidentsModule } from '../../incidents/incidents.module.js';
import { INCIDENTS } from '../../incidents/incidents.permissions.js';
import { EscalationPolicyFormErrorFilter } from './escalation-policy-form.filter.js';
import { EscalationPolicyPagesController } from './escalation-policy-pages.controller.js';
import { EscalationPolicyPagesService } from './escalation-policy-pages.service.js';
import { IncidentAlertDuties } from './incident-alert-duties.js';

/**
 * エスカレーション方針: the escalation policies' pages (the list and a policy for those who may read
 * them, the form for the security office), and the in-app channel of escalation: "my page" lists
 * the incidents a running climb told me about.
 */
@Feature({
  name: 'incidents.escalation-policy-pages',
  navigation: [{ href: '/escalation-policies', label: 'nav.escalationPolicies', permission: INCIDENTS.read_escalation_policies, order: 42 }],
})
@Module({
  imports: [IncidentsModule],
  controllers: [EscalationPolicyPagesController],
  providers: [EscalationPolicyPagesService, EscalationPolicyFormErrorFilter, IncidentAlertDuties],
})
export class EscalationPolicyPagesModule {}
