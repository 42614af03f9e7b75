import { byteRange } from './attachment-response.js';
import { bufferReader, materialDisposition, sniffCourseMaterial, zipNames } from './course-material.js';
import { attendanceTime } from './attendance.service.js';
import { decodeAttendanceFile, readAttendanceCsv, rowsOfPastedLines } from './attendance-list.js';
import { mp4Of, zipOf } from '../../test/factories/course-material.factory.js';

const sniff = (bytes: Buffer, name: string) => sniffCourseMaterial(bufferReader(bytes), bytes.length, name);

describe('course material: what the bytes are', () => {
  const pptx = zipOf([['[Content_Types].xml'], ['_rels/.rels'], ['ppt/presentation.xml']]);
  const odp = zipOf([['mimetype', 'application/vnd.oasis.opendocument.presentation'], ['content.xml'], ['META-INF/manifest.xml']]);
  const keynote = zipOf([['Index/Document.iwa'], ['Metadata/Properties.plist']]);

  it('knows PDF, slides, MP4 and pictures from their bytes', async () => {
    await expect(sniff(Buffer.from('%PDF-1.7\n%%EOF'), '研修.pdf')).resolves.toEqual({ ok: true, kind: 'pdf', contentType: 'application/pdf' });
    await expect(sniff(pptx, 'slides.PPTX')).resolves.toMatchObject({ ok: true, kind: 'pptx' });
    await expect(sniff(odp, 'slides.odp')).resolves.toMatchObject({ ok: true, kind: 'odp', contentType: 'application/vnd.oasis.opendocument.presentation' });
    await expect(sniff(keynote, 'slides.key')).resolves.toMatchObject({ ok: true, kind: 'key' });
    await expect(sniff(mp4Of(), 'lecture.mp4')).resolves.toMatchObject({ ok: true, kind: 'mp4', contentType: 'video/mp4' });
    await expect(sniff(mp4Of('mp42', ['mp42', 'isom']), 'lecture.m4v')).resolves.toMatchObject({ ok: true, kind: 'mp4' });
    await expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'photo.jpeg')).resolves.toMatchObject({ ok: true, kind: 'jpeg' });
    await expect(sniff(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'figure')).resolves.toMatchObject({ ok: true, kind: 'png' });
  });

  it('refuses what is not course material, and a name that says another kind', async () => {
    await expect(sniff(Buffer.from('<html><script>alert(1)</script>'), 'page.pdf')).resolves.toMatchObject({ ok: false, reason: 'not_accepted' });
    await expect(sniff(zipOf([['[Content_Types].xml'], ['word/document.xml']]), 'a.pptx')).resolves.toMatchObject({ ok: false, reason: 'not_accepted' });
    await expect(sniff(mp4Of('qt  ', ['qt  ']), 'movie.mp4')).resolves.toMatchObject({ ok: false, reason: 'not_accepted' });
    await expect(sniff(mp4Of('heic', ['mif1', 'heic']), 'photo.mp4')).resolves.toMatchObject({ ok: false, reason: 'not_accepted' });
    await expect(sniff(Buffer.from('%PDF-1.7'), 'slides.pptx')).resolves.toEqual({
      ok: false,
      reason: 'misnamed',
      message: 'the content is a PDF document but the file is named ".pptx"; rename it to .pdf',
      expectedExtension: '.pdf',
    });
  });

  it('reads a ZIP directory at the end of a file only', async () => {
    const reads: [number, number][] = [];
    const read = bufferReader(pptx);
    const names = await zipNames((offset, length) => {
      reads.push([offset, length]);
      return read(offset, length);
    }, pptx.length);
    expect(names).toEqual(['[Content_Types].xml', '_rels/.rels', 'ppt/presentation.xml']);
    expect(reads).toHaveLength(2);
    await expect(zipNames(bufferReader(Buffer.from('PK\x03\x04 broken')), 12)).resolves.toBeNull();
  });

  it('shows PDF, video and pictures inline, and downloads slides, with a safe file name', () => {
    expect(materialDisposition('研修資料 "1".pdf', 'application/pdf')).toBe(
      `inline; filename="____ _1_.pdf"; filename*=UTF-8''%E7%A0%94%E4%BF%AE%E8%B3%87%E6%96%99%20%221%22.pdf`,
    );
    expect(materialDisposition('slides.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation')).toMatch(/^attachment; /);
  });

  it('honours one byte range, ignores several, and refuses one outside the file', () => {
    expect(byteRange(undefined, 100)).toBeNull();
    expect(byteRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(byteRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(byteRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=9-3', 100)).toBe('unsatisfiable');
  });
});

describe('attendance lists', () => {
  it('reads the 職員番号 column of a CSV in UTF-8 with BOM or in Shift_JIS, by the lines of the file', () => {
    const utf8 = Buffer.from('\uFEFF氏名,職員番号\r\n山田 花子,10001\r\n佐藤 一郎,１０００２\r\n\r\n', 'utf8');
    expect(readAttendanceCsv(decodeAttendanceFile(utf8))).toEqual([
      { line: 2, employeeNumber: '10001' },
      { line: 3, employeeNumber: '10002' },
    ]);
    // 職員番号\r\n10001 in Shift_JIS
    const sjis = Buffer.concat([Buffer.from([0x90, 0x45, 0x88, 0xf5, 0x94, 0xd4, 0x8d, 0x86]), Buffer.from('\r\n10001\r\n')]);
    expect(readAttendanceCsv(decodeAttendanceFile(sjis))).toEqual([{ line: 2, employeeNumber: '10001' }]);
    expect(readAttendanceCsv('employeeNumber\n\n10003\n')).toEqual([
      { line: 2, employeeNumber: '' },
      { line: 3, employeeNumber: '10003' },
    ]);
  });

  it('refuses a file without the column, binary content, or broken quoting, naming the file', () => {
    expect(() => readAttendanceCsv('氏名\n山田\n')).toThrow(
      expect.objectContaining({ code: 'ATTENDANCE_INVALID', issues: [expect.objectContaining({ code: 'noColumn', line: 1 })] }),
    );
    expect(() => decodeAttendanceFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]))).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ code: 'binary' })] }),
    );
    expect(() => readAttendanceCsv('職員番号\n"10001\n')).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ code: 'malformed' })] }));
  });

  it('takes pasted lines one number each, empty lines left out', () => {
    expect(rowsOfPastedLines('10001\r\n\r\n １０００２ \n')).toEqual([
      { line: 1, employeeNumber: '10001' },
      { line: 3, employeeNumber: '10002' },
    ]);
  });

  it('reads the session time in Asia/Tokyo and refuses one in the future', () => {
    const now = new Date('2022-10-14T06:00:00Z');
    expect(attendanceTime('2022-10-14T14:00', now).toISOString()).toBe('2022-10-14T05:00:00.000Z');
    expect(attendanceTime('2022-10-14T05:00:00Z', now).toISOString()).toBe('2022-10-14T05:00:00.000Z');
    expect(attendanceTime(undefined, now)).toBe(now);
    expect(() => attendanceTime('2022-10-15T09:00', now)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
