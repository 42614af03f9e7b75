import { extname } from 'node:path';
import { zipEntryNames } from '../controls/file-sniffing.js';

/**
 * The kinds of file an incident keeps (a screenshot, a photo of a screen, the suspicious mail, a log,
 * a document, an archive), decided from the bytes, never from what the client says.
 */
export const INCIDENT_ATTACHMENT_TYPES = {
  png: { contentType: 'image/png', extensions: ['.png'] },
  jpeg: { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'] },
  gif: { contentType: 'image/gif', extensions: ['.gif'] },
  webp: { contentType: 'image/webp', extensions: ['.webp'] },
  heic: { contentType: 'image/heic', extensions: ['.heic', '.heif'] },
  pdf: { contentType: 'application/pdf', extensions: ['.pdf'] },
  text: { contentType: 'text/plain; charset=utf-8', extensions: ['.txt', '.log', '.csv'] },
  textShiftJis: { contentType: 'text/plain; charset=shift_jis', extensions: ['.txt', '.log', '.csv'] },
  eml: { contentType: 'message/rfc822', extensions: ['.eml'] },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'] },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'] },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['.pptx'] },
  zip: { contentType: 'application/zip', extensions: ['.zip'] },
} as const;

export type IncidentAttachmentKind = keyof typeof INCIDENT_ATTACHMENT_TYPES;

/** Every extension of the accepted kinds, once each: `.png`, `.jpg`, … (the form's `accept`, the problem's list). */
export const INCIDENT_ATTACHMENT_EXTENSIONS: readonly string[] = [...new Set(Object.values(INCIDENT_ATTACHMENT_TYPES).flatMap((t) => t.extensions))];

/** The content types a download may answer with (the OpenAPI document lists them). */
export const INCIDENT_ATTACHMENT_CONTENT_TYPES: readonly string[] = [...new Set(Object.values(INCIDENT_ATTACHMENT_TYPES).map((t) => t.contentType))];

/** Why a file was refused: its bytes are none of the kinds, or its name says another kind than its bytes (rename it to `expectedExtension`). */
export type AttachmentSniff =
  | { ok: true; kind: IncidentAttachmentKind; contentType: string }
  | { ok: false; reason: 'empty' | 'not_accepted'; message: string }
  | { ok: false; reason: 'misnamed'; message: string; expectedExtension: string };

const MAGIC = {
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  jpeg: Buffer.from([0xff, 0xd8, 0xff]),
  gif87: Buffer.from('GIF87a', 'latin1'),
  gif89: Buffer.from('GIF89a', 'latin1'),
  pdf: Buffer.from('%PDF-', 'latin1'),
  zip: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  emptyZip: Buffer.from([0x50, 0x4b, 0x05, 0x06]),
};
const OOXML_PARTS = { docx: 'word/', xlsx: 'xl/', pptx: 'ppt/' } as const;
/** ISO base media brands of a HEIF still image (iPhone photos) */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
/** header fields of which a mail has at least one among its first lines */
const MAIL_FIELDS = /^(from|to|subject|date|received|return-path|message-id|mime-version|delivered-to|x-mailer):/im;

const startsWith = (bytes: Buffer, magic: Buffer): boolean => bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);

/** Text in UTF-8 (with or without BOM) or Shift_JIS (Windows Notepad's, old mail and logs), without NUL or binary control bytes. */
function textEncoding(bytes: Buffer): 'utf8' | 'shift_jis' | null {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/.test(bytes.toString('latin1'))) return null;
  for (const [encoding, label] of [
    ['utf8', 'utf-8'],
    ['shift_jis', 'shift_jis'],
  ] as const) {
    try {
      new TextDecoder(label, { fatal: true }).decode(bytes);
      return encoding;
    } catch {
      // the next encoding
    }
  }
  return null;
}

/** A message as saved by a mail program (RFC 5322): header lines from the first line on, a mail header field among them, then a blank line. */
function looksLikeMail(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 64 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const header = end < 0 ? head : head.slice(0, end);
  const lines = header.split(/\r?\n/);
  const fieldOrFold = /^(?:[!-9;-~]+:|[ \t])/;
  return lines.length > 0 && /^[!-9;-~]+:/.test(lines[0]!) && lines.every((line) => fieldOrFold.test(line)) && MAIL_FIELDS.test(header);
}

function kindOfBytes(bytes: Buffer, extension: string): IncidentAttachmentKind | null {
  if (startsWith(bytes, MAGIC.pdf)) return 'pdf';
  if (startsWith(bytes, MAGIC.png)) return 'png';
  if (startsWith(bytes, MAGIC.jpeg)) return 'jpeg';
  if (startsWith(bytes, MAGIC.gif87) || startsWith(bytes, MAGIC.gif89)) return 'gif';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp' && HEIF_BRANDS.has(bytes.toString('latin1', 8, 12))) return 'heic';
  if (startsWith(bytes, MAGIC.zip) || startsWith(bytes, MAGIC.emptyZip)) {
    const names = zipEntryNames(bytes);
    if (!names) return null;
    // an Office document is a ZIP with [Content_Types].xml and the part folder of its kind
    if (names.includes('[Content_Types].xml')) {
      const present = (Object.keys(OOXML_PARTS) as (keyof typeof OOXML_PARTS)[]).filter((k) => names.some((n) => n.startsWith(OOXML_PARTS[k])));
      const claimed = present.find((k) => (INCIDENT_ATTACHMENT_TYPES[k].extensions as readonly string[]).includes(extension));
      if (claimed) return claimed;
      if (present.length && extension !== '.zip') return present[0]!;
    }
    return 'zip';
  }
  const encoding = textEncoding(bytes);
  if (!encoding) return null;
  if (looksLikeMail(bytes) && (extension === '.eml' || extension === '')) return 'eml';
  return encoding === 'utf8' ? 'text' : 'textShiftJis';
}

/**
 * Decides the kind of an incident's attachment from its bytes and checks that its name agrees (a
 * PNG named `.pdf` is refused, naming the extension to rename it to); a name without an extension
 * takes whatever the bytes are.
 */
export function sniffIncidentAttachment(bytes: Buffer, fileName: string): AttachmentSniff {
  if (bytes.length === 0) return { ok: false, reason: 'empty', message: 'the file is empty (0 bytes)' };
  const extension = extname(fileName).toLowerCase();
  const kind = kindOfBytes(bytes, extension);
  if (!kind) {
    return {
      ok: false,
      reason: 'not_accepted',
      message: `the content is not a kind of file an incident keeps (accepted: ${INCIDENT_ATTACHMENT_EXTENSIONS.join(', ')})`,
    };
  }
  const type = INCIDENT_ATTACHMENT_TYPES[kind];
  if (extension && !(type.extensions as readonly string[]).includes(extension)) {
    if (extension === '.eml') return { ok: false, reason: 'not_accepted', message: 'the file is named .eml but is not a saved e-mail message' };
    const expectedExtension = type.extensions[0];
    return {
      ok: false,
      reason: 'misnamed',
      message: `the content does not match the name's "${extension}"; rename it to ${expectedExtension}`,
      expectedExtension,
    };
  }
  return { ok: true, kind, contentType: type.contentType };
}
