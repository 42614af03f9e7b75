import type { HttpStatus } from '@nestjs/common';

export interface ProblemDefinition {
  status: HttpStatus;
  title: string;
}
