import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The text fields sent beside the `file` of an evidence upload. */
export class ControlEvidenceUploadDto {
  @ApiPropertyOptional({ description: 'what the file shows' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
