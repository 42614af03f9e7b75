import { Module } from '@nestjs/common';
import { Feature } from '../common/features/feature.js';
import { CorrectiveAction } from './corrective-action.entity.js';
import { Finding } from './finding.entity.js';

/**
 * Findings (指摘事項) and their corrective actions (是正措置), shared by incident reviews, audits and
 * drills: raised with an owner department and a due date, followed to verification.
 */
@Feature({ name: 'findings', entities: [Finding, CorrectiveAction] })
@Module({})
export class FindingsModule {}
