import { extname } from 'node:path';
import { attachmentDisposition } from '../controls/file-sniffing.js';

/**
 * The kinds of file a course's material may be (研修資料), by what their bytes are, never by what the
 * client says: documents and slides people open, videos the LGWAN terminals play from Mamori itself,
 * and pictures. `inline` files are shown by the browser (a PDF, a video, a picture); slides are
 * downloaded and opened in the presentation program.
 */
export const COURSE_MATERIAL_TYPES = {
  pdf: { contentType: 'application/pdf', extensions: ['.pdf'], label: 'a PDF document', inline: true },
  pptx: {
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['.pptx'],
    label: 'a PowerPoint presentation',
    inline: false,
  },
  odp: { contentType: 'application/vnd.oasis.opendocument.presentation', extensions: ['.odp'], label: 'an OpenDocument presentation', inline: false },
  key: { contentType: 'application/vnd.apple.keynote', extensions: ['.key'], label: 'a Keynote presentation', inline: false },
  mp4: { contentType: 'video/mp4', extensions: ['.mp4', '.m4v'], label: 'an MP4 video', inline: true },
  png: { contentType: 'image/png', extensions: ['.png'], label: 'a PNG image', inline: true },
  jpeg: { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], label: 'a JPEG image', inline: true },
} as const;

export type CourseMaterialKind = keyof typeof COURSE_MATERIAL_TYPES;

/** Every accepted file-name extension, in the order of COURSE_MATERIAL_TYPES. */
export const COURSE_MATERIAL_EXTENSIONS: readonly string[] = Object.values(COURSE_MATERIAL_TYPES).flatMap((t) => t.extensions);

/** Every content type an attachment can be served as. */
export const COURSE_MATERIAL_CONTENT_TYPES: readonly string[] = Object.values(COURSE_MATERIAL_TYPES).map((t) => t.contentType);

export type MaterialSniffResult =
  | { ok: true; kind: CourseMaterialKind; contentType: string }
  | { ok: false; reason: 'not_accepted'; message: string }
  | { ok: false; reason: 'misnamed'; message: string; expectedExtension: string };

/** Reads `length` bytes of the file from `offset` (fewer at its end). */
export type ReadBytes = (offset: number, length: number) => Promise<Buffer>;

/** A reader over bytes in memory. */
export const bufferReader =
  (bytes: Buffer): ReadBytes =>
  (offset, length) =>
    Promise.resolve(bytes.subarray(offset, offset + length));

const PDF = Buffer.from('%PDF-', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ODP_MIMETYPE = 'application/vnd.oasis.opendocument.presentation';
/** ISO base media brands of MP4 video (QuickTime's `qt  ` and the HEIF image brands are not among them). */
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4VH', 'M4VP', 'dash', 'mmp4', 'MSNV', 'f4v ']);

const startsWith = (bytes: Buffer, magic: Buffer): boolean => bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);

/** An MP4 file starts with its `ftyp` box naming a major brand and compatible brands. */
function isMp4(head: Buffer): boolean {
  if (head.length < 16 || head.toString('latin1', 4, 8) !== 'ftyp') return false;
  const boxSize = Math.min(head.readUInt32BE(0), head.length);
  const brands = [head.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(head.toString('latin1', at, at + 4));
  return brands.some((brand) => MP4_BRANDS.has(brand));
}

/**
 * The entry names of a ZIP file from its central directory, read through `read` (so a large file on
 * disk is read at its end only); null when it is not a readable ZIP.
 */
export async function zipNames(read: ReadBytes, size: number): Promise<string[] | null> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await read(size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = tail.readUInt16LE(eocd + 10);
  const directorySize = tail.readUInt32LE(eocd + 12);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  if (directoryOffset + directorySize > size || directorySize > 64 * 1024 * 1024) return null;
  const directory = await read(directoryOffset, directorySize);
  const names: string[] = [];
  for (let n = 0, at = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    if (at + 46 + nameLength > directory.length) return null;
    names.push(directory.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** An OpenDocument file's first entry is `mimetype`, stored uncompressed: its text says what the document is. */
function odfMimetype(head: Buffer): string | null {
  if (head.length < 30 || head.readUInt16LE(8) !== 0) return null;
  const nameLength = head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  const size = head.readUInt32LE(18);
  if (head.toString('latin1', 30, 30 + nameLength) !== 'mimetype' || size > 200) return null;
  const start = 30 + nameLength + extraLength;
  return head.length >= start + size ? head.toString('latin1', start, start + size) : null;
}

/** What kind of material the bytes are; null for none of the accepted kinds. */
async function kindOf(read: ReadBytes, size: number): Promise<CourseMaterialKind | null> {
  const head = await read(0, 4096);
  if (startsWith(head, PDF)) return 'pdf';
  if (startsWith(head, PNG)) return 'png';
  if (startsWith(head, JPEG)) return 'jpeg';
  if (isMp4(head)) return 'mp4';
  if (!startsWith(head, ZIP)) return null;
  if (odfMimetype(head) === ODP_MIMETYPE) return 'odp';
  const names = await zipNames(read, size);
  if (!names) return null;
  if (names.includes('[Content_Types].xml') && names.some((name) => name.startsWith('ppt/'))) return 'pptx';
  // Keynote: the current format's Index/ folder (or Index.zip), or the 2009 format's index.apxl
  if (names.some((name) => name.startsWith('Index/') || name === 'Index.zip' || name.startsWith('index.apxl'))) return 'key';
  return null;
}

/**
 * Decides what an uploaded file of course material is from its bytes, and checks that its name
 * agrees (a PNG named `.pdf` is refused rather than served under a misleading name); a name without
 * an extension is taken as whatever the bytes are.
 */
export async function sniffCourseMaterial(read: ReadBytes, size: number, fileName: string): Promise<MaterialSniffResult> {
  const kind = await kindOf(read, size);
  if (!kind) {
    return {
      ok: false,
      reason: 'not_accepted',
      message: `the content is not course material Mamori serves (accepted: ${COURSE_MATERIAL_EXTENSIONS.join(', ')})`,
    };
  }
  const type = COURSE_MATERIAL_TYPES[kind];
  const extension = extname(fileName).toLowerCase();
  if (extension && !(type.extensions as readonly string[]).includes(extension)) {
    const expectedExtension = type.extensions[0];
    return {
      ok: false,
      reason: 'misnamed',
      message: `the content is ${type.label} but the file is named "${extension}"; rename it to ${expectedExtension}`,
      expectedExtension,
    };
  }
  return { ok: true, kind, contentType: type.contentType };
}

/** Whether a content type is shown by the browser (PDF, video, picture) rather than downloaded (slides). */
export function shownInline(contentType: string): boolean {
  return Object.values(COURSE_MATERIAL_TYPES).some((type) => type.contentType === contentType && type.inline);
}

/** `inline` (or `attachment` for slides) with the file name in ASCII and in UTF-8 (RFC 6266 / RFC 5987). */
export function materialDisposition(fileName: string, contentType: string): string {
  const disposition = attachmentDisposition(fileName);
  return shownInline(contentType) ? disposition.replace(/^attachment/, 'inline') : disposition;
}
