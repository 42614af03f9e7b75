import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ResidentReportDto } from './dto/report-incident.dto.js';

/** A resident's report to the public API (no account): the report, and which town it is for. */
export class PublicIncidentReportDto extends ResidentReportDto {
  @ApiPropertyOptional({ maxLength: 254, description: 'an address to reach the resident (optional; only the security office and the CSIRT see it)' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  override email?: string = undefined;

  @ApiPropertyOptional({
    maxLength: 64,
    example: 'demo-town',
    description: 'the code of the organisation the report is for (default: the deployment’s first organisation)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  organization?: string;
}

/** What a resident gets back: a plain acknowledgement number, never the internal reference. */
@ApiSchema({ description: 'The acknowledgement of a resident’s report: a number to quote when they call, and when it was received' })
export class ResidentAcknowledgementView {
  @ApiProperty({ example: 'RCV-2022-0007', description: 'the acknowledgement number (受付番号): a series of its own, not the incident’s reference' })
  acknowledgementNumber!: string;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;
}
