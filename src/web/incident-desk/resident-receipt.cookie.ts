import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WebCookies } from '../web-cookies.js';

/** the acknowledgement shown on the thank-you page after the redirect (httpOnly, SameSite=Lax, /report only, 30 minutes) */
export const RECEIPT_COOKIE = 'mamori_receipt';
const RECEIPT_TTL_MS = 30 * 60_000;
/** `RCV-2022-0007|1672531200000`: the number and when it was received; nothing else is ever shown from it */
const RECEIPT = /^([A-Z]{2,8}-\d{4}-\d{4,9})\|(\d{10,15})$/;

export interface ResidentReceiptView {
  acknowledgementNumber: string;
  receivedAt: Date;
}

/**
 * Post/redirect/get for the residents' page: the report's acknowledgement number travels to the
 * thank-you page in a short-lived cookie of that page only, so reloading the thank-you page shows
 * the number again and never resubmits the report; the internal reference never leaves the server.
 */
@Injectable()
export class ResidentReceiptCookie {
  constructor(private readonly cookies: WebCookies) {}

  keep(res: Response, receipt: ResidentReceiptView): void {
    res.cookie(
      RECEIPT_COOKIE,
      `${receipt.acknowledgementNumber}|${receipt.receivedAt.getTime()}`,
      this.cookies.options('lax', { path: '/report', maxAge: RECEIPT_TTL_MS }),
    );
  }

  /** The receipt of the report just sent, or null (none, expired, or not one of ours). */
  read(req: Request): ResidentReceiptView | null {
    const value: unknown = req.cookies?.[RECEIPT_COOKIE];
    const match = typeof value === 'string' ? RECEIPT.exec(value) : null;
    return match ? { acknowledgementNumber: match[1]!, receivedAt: new Date(Number(match[2])) } : null;
  }
}
