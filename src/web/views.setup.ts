import type { NestExpressApplication } from '@nestjs/platform-express';
/** placeholder: replaced by the web shell */
export function configureViews(_app: NestExpressApplication): void {}
