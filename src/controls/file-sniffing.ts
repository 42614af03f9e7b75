import { extname } from 'node:path';

/** The kinds of evidence file Mamori accepts, by what their bytes are (never by what the client says). */
export const EVIDENCE_TYPES = {
  pdf: { contentType: 'application/pdf', extensions: ['.pdf'], label: 'a PDF document' },
  png: { contentType: 'image/png', extensions: ['.png'], label: 'a PNG image' },
  jpeg: { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], label: 'a JPEG image' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'], label: 'a Word document' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'], label: 'an Excel workbook' },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['.pptx'], label: 'a PowerPoint presentation' },
  csv: { contentType: 'text/csv; charset=utf-8', extensions: ['.csv'], label: 'a CSV file' },
  text: { contentType: 'text/plain; charset=utf-8', extensions: ['.txt', '.log', '.md'], label: 'a text file' },
} as const;

export type EvidenceKind = keyof typeof EVIDENCE_TYPES;

/** Every file-name extension of the accepted kinds, in the order of EVIDENCE_TYPES: `.pdf`, `.png`, … */
export const ACCEPTED_EXTENSIONS: readonly string[] = Object.values(EVIDENCE_TYPES).flatMap((t) => t.extensions);

/**
 * A refusal says why: `not_accepted` (the bytes are none of the accepted kinds) or `misnamed` (they
 * are, but the name's extension is another kind's; `expectedExtension` is the one to rename it to).
 */
export type SniffResult =
  | { ok: true; kind: EvidenceKind; contentType: string }
  | { ok: false; reason: 'not_accepted'; message: string }
  | { ok: false; reason: 'misnamed'; message: string; kind: EvidenceKind; extension: string; expectedExtension: string };

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PDF = Buffer.from('%PDF-', 'latin1');
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The OOXML part folder that tells a docx, xlsx and pptx apart inside the ZIP. */
const OOXML_PARTS = { docx: 'word/', xlsx: 'xl/', pptx: 'ppt/' } as const;
const OOXML_KINDS = Object.keys(OOXML_PARTS) as (keyof typeof OOXML_PARTS)[];

function startsWith(bytes: Buffer, magic: Buffer): boolean {
  return bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The entry names of a ZIP file, from its central directory (found through the end-of-central-
 * directory record); null when the structure is not a readable ZIP.
 */
export function zipEntryNames(bytes: Buffer): string[] | null {
  const EOCD = 0x06054b50;
  const ENTRY = 0x02014b50;
  const searchFrom = Math.max(0, bytes.length - (22 + 0xffff));
  let eocd = -1;
  for (let i = bytes.length - 22; i >= searchFrom; i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== ENTRY) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameLength > bytes.length) return null;
    names.push(bytes.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** What the bytes are, from their magic numbers; null when none of the accepted kinds. */
function kindOfBytes(bytes: Buffer, extension: string): EvidenceKind | null {
  if (startsWith(bytes, PDF)) return 'pdf';
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  if (startsWith(bytes, ZIP)) {
    // an OOXML package: a ZIP with [Content_Types].xml and the part folder of its kind; when the
    // parts fit the kind the extension claims, that kind, else whichever kind the parts are
    const names = zipEntryNames(bytes);
    if (!names?.includes('[Content_Types].xml')) return null;
    const present = OOXML_KINDS.filter((k) => names.some((n) => n.startsWith(OOXML_PARTS[k])));
    const claimed = OOXML_KINDS.find((k) => (EVIDENCE_TYPES[k].extensions as readonly string[]).includes(extension));
    return claimed && present.includes(claimed) ? claimed : (present[0] ?? null);
  }
  if (bytes.length > 0 && isUtf8Text(bytes)) return extension === '.csv' ? 'csv' : 'text';
  return null;
}

/**
 * Decides the content type of an evidence file from its bytes, and checks that its name agrees:
 * a PNG named `.pdf` is refused rather than stored under a misleading name. A name without an
 * extension is accepted as whatever the bytes are.
 */
export function sniffEvidence(bytes: Buffer, fileName: string): SniffResult {
  const extension = extname(fileName).toLowerCase();
  const kind = kindOfBytes(bytes, extension);
  if (!kind) {
    return { ok: false, reason: 'not_accepted', message: `the content is not an accepted kind of file (accepted: ${ACCEPTED_EXTENSIONS.join(', ')})` };
  }
  const type = EVIDENCE_TYPES[kind];
  if (extension && !(type.extensions as readonly string[]).includes(extension)) {
    const expectedExtension = type.extensions[0];
    return {
      ok: false,
      reason: 'misnamed',
      message: `the content is ${type.label} but the file is named "${extension}"; rename it to ${expectedExtension}`,
      kind,
      extension,
      expectedExtension,
    };
  }
  return { ok: true, kind, contentType: type.contentType };
}

/**
 * A file name safe to store and to send back: no folders, no control characters, at most 255
 * characters (keeping the extension).
 */
export function safeFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '_')
    .trim();
  const cleaned = base === '' || base === '.' || base === '..' ? 'evidence' : base;
  if (cleaned.length <= 255) return cleaned;
  const extension = extname(cleaned).slice(0, 16);
  return cleaned.slice(0, 255 - extension.length) + extension;
}

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 5987). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
