import type { Request, Response } from 'express';
import { AppException } from '../common/errors/app.exception.js';
import type { OpenedAttachment } from './course-attachments.service.js';
import { materialDisposition } from './course-material.js';

/** A single byte range of a `Range: bytes=…` header; null when there is none to honour (absent, several, or not bytes). */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null; // several ranges or another unit: the whole file (RFC 9110 lets a server ignore Range)
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return null;
  let start: number;
  let end: number;
  if (first === '') {
    // the last N bytes
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Whether an `If-None-Match` (or `If-Range`) header names this ETag. */
const names = (header: string | undefined, etag: string): boolean =>
  !!header && (header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag));

/**
 * Sends a course attachment: PDF, video and pictures inline (the browser shows them), slides as a
 * download, with the file name in ASCII and UTF-8, never sniffed by the browser, kept by no shared
 * cache. Its ETag is its SHA-256 (an attachment's bytes never change), so a browser asks again
 * cheaply (304). A `Range` request (a video being played or sought) is answered 206 with the range,
 * from a file on disk by express's `sendFile`, from PostgreSQL's bytes here; an unsatisfiable one
 * 416 (ATTACHMENT_RANGE_NOT_SATISFIABLE).
 */
export async function sendAttachment(req: Request, res: Response, opened: OpenedAttachment): Promise<void> {
  const { file } = opened;
  const etag = `"${file.sha256}"`;
  const headers = {
    'Content-Type': file.contentType,
    'Content-Disposition': materialDisposition(file.fileName, file.contentType),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-cache',
  };
  // set first: express's sendFile keeps an ETag already there (and answers If-None-Match and If-Range with it)
  res.setHeader('ETag', etag);
  if (opened.path !== undefined) {
    await new Promise<void>((resolve, reject) => {
      res.sendFile(opened.path, { headers, acceptRanges: true, cacheControl: false, lastModified: false, dotfiles: 'allow' }, (error) => {
        if (!error) return resolve();
        if (res.headersSent) return resolve(); // the reader went away mid-file: nothing more to say
        const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
        if (status === 416) {
          res.setHeader('Content-Range', `bytes */${file.size}`);
          return reject(new AppException('ATTACHMENT_RANGE_NOT_SATISFIABLE', `The file has ${file.size} bytes`));
        }
        reject(new AppException('ATTACHMENT_CONTENT_UNAVAILABLE', `The stored file of attachment ${file.id} cannot be read`));
      });
    });
    return;
  }
  if (names(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  const bytes = opened.bytes;
  const ifRange = req.get('if-range');
  const range = ifRange === undefined || names(ifRange, etag) ? byteRange(req.headers.range, bytes.length) : null;
  if (range === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${bytes.length}`);
    throw new AppException('ATTACHMENT_RANGE_NOT_SATISFIABLE', `The file has ${bytes.length} bytes`);
  }
  res.set({ ...headers, 'Accept-Ranges': 'bytes' });
  if (range) {
    res.status(206);
    res.set({ 'Content-Range': `bytes ${range.start}-${range.end}/${bytes.length}`, 'Content-Length': String(range.end - range.start + 1) });
    res.end(bytes.subarray(range.start, range.end + 1));
  } else {
    res.status(200);
    res.set('Content-Length', String(bytes.length));
    res.end(bytes);
  }
}
