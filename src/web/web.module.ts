import { Module } from '@nestjs/common';
/** placeholder: replaced by the web shell */
@Module({})
export class WebModule {}
