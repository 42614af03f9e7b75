import { ApiProperty } from '@nestjs/swagger';

/** One's calendar subscription, without its address (the token is shown once, when made). */
export class CalendarFeedStatusView {
  @ApiProperty({ description: 'whether a subscription address is in use' })
  active!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the address in use was made' })
  createdAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when a calendar last fetched it (to the quarter hour)' })
  lastUsedAt!: Date | null;
}

/** A new subscription address: give it to the calendar; it is not shown again. */
export class IssuedCalendarFeedView {
  @ApiProperty({ format: 'uri', example: 'https://mamori.example.lg.jp/calendar/3q2-7wEXAMPLEtokenXXXXXXXXXXXXXXXXXXXXXXXXXXX.ics' })
  url!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}
