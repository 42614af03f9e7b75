import type { Request } from 'express';

/** The client address as seen by Express (honours `trust proxy`). */
export function clientAddressOf(request: Request): string | null {
  return request.ip ?? request.socket.remoteAddress ?? null;
}
