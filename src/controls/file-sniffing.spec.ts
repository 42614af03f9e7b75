import { attachmentDisposition, safeFileName, sniffEvidence, zipEntryNames } from './file-sniffing.js';

/** A ZIP with stored (uncompressed) empty entries of these names. */
function zipOf(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const n = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, n);
    offset += 30 + n.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('sniffEvidence', () => {
  const docx = zipOf(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);

  it('decides the type from the bytes', () => {
    expect(sniffEvidence(Buffer.from('%PDF-1.7 ...'), 'a.pdf')).toEqual({ ok: true, kind: 'pdf', contentType: 'application/pdf' });
    expect(sniffEvidence(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'photo.JPG')).toMatchObject({ ok: true, kind: 'jpeg' });
    expect(sniffEvidence(docx, '規程.docx')).toMatchObject({ ok: true, kind: 'docx' });
    expect(sniffEvidence(Buffer.from('a,b\n1,2\n'), 'x.csv')).toMatchObject({ ok: true, contentType: 'text/csv; charset=utf-8' });
    expect(sniffEvidence(Buffer.from('メモ'), 'memo')).toMatchObject({ ok: true, kind: 'text' });
  });

  it('refuses other content and names that disagree with it', () => {
    expect(sniffEvidence(docx, 'a.xlsx')).toMatchObject({
      ok: false,
      reason: 'misnamed',
      kind: 'docx',
      extension: '.xlsx',
      expectedExtension: '.docx',
      message: expect.stringContaining('Word document'),
    });
    expect(sniffEvidence(zipOf(['a.txt']), 'a.docx')).toMatchObject({ ok: false, reason: 'not_accepted' });
    expect(sniffEvidence(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'a.zip').ok).toBe(false);
    expect(sniffEvidence(Buffer.from([0x61, 0, 0x62]), 'a.txt').ok).toBe(false);
    expect(sniffEvidence(Buffer.from([0xc3, 0x28]), 'a.txt').ok).toBe(false); // not UTF-8
    expect(sniffEvidence(Buffer.from('plain'), 'a.html').ok).toBe(false);
  });

  it('reads ZIP entry names from the central directory', () => {
    expect(zipEntryNames(docx)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    expect(zipEntryNames(Buffer.from('PK'))).toBeNull();
  });
});

describe('file names', () => {
  it('keeps only a safe base name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\報告書.pdf')).toBe('報告書.pdf');
    expect(safeFileName('a\u0000b"c.txt')).toBe('a_b_c.txt');
    expect(safeFileName('..')).toBe('evidence');
    expect(safeFileName(`${'x'.repeat(300)}.pdf`)).toMatch(/^x{251}\.pdf$/);
  });

  it('writes an RFC 6266 / 5987 attachment header', () => {
    expect(attachmentDisposition('報告書 (1).pdf')).toBe(`attachment; filename="___ (1).pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8%20%281%29.pdf`);
  });
});
