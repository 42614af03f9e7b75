import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { RateLimitGuard } from './rate-limit.guard.js';

/**
 * Sign-in, token refresh and password links: limited per client address (AUTH_RATE_LIMIT_PER_MINUTE),
 * against password spraying and floods of the audit trail; over the limit: 429 with Retry-After.
 */
export const RateLimited = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseGuards(RateLimitGuard), ApiTooManyRequestsResponse({ description: 'Too many attempts from this address (problem+json, Retry-After)' }));
