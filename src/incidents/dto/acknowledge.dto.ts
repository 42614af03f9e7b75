import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class AcknowledgeDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'a note for the timeline' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
