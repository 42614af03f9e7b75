/** Small files of course material for the specs: a ZIP of named entries (slides) and the start of an MP4. */

/** A ZIP with stored (uncompressed) entries, the first written first (an OpenDocument's `mimetype`). */
export function zipOf(entries: [name: string, content?: string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content = ''] of entries) {
    const n = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'latin1');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The first bytes of an MP4 file: its `ftyp` box (major brand, compatible brands) and an empty `mdat`. */
export function mp4Of(major = 'isom', compatible = ['isom', 'iso2', 'avc1', 'mp41']): Buffer {
  const ftyp = Buffer.alloc(16 + 4 * compatible.length);
  ftyp.writeUInt32BE(ftyp.length, 0);
  ftyp.write('ftyp', 4, 'latin1');
  ftyp.write(major, 8, 'latin1');
  ftyp.writeUInt32BE(0x200, 12);
  compatible.forEach((brand, i) => ftyp.write(brand, 16 + 4 * i, 'latin1'));
  const mdat = Buffer.alloc(1024);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, mdat]);
}
