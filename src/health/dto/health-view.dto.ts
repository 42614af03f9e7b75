import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One dependency's reachability. */
export class HealthCheckView {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ example: 'timed out', description: 'why it is down' })
  error?: string;
}

export class HealthChecksView {
  @ApiProperty({ type: HealthCheckView })
  database!: HealthCheckView;

  @ApiProperty({ type: HealthCheckView })
  redis!: HealthCheckView;
}

/** `GET /health` */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({ type: HealthChecksView })
  checks!: HealthChecksView;
}
