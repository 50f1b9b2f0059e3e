import type { TestKouan } from './kouan.js';
/** Small real files for attachment tests: a PDF, a PNG, an OFD package, each with distinct content on demand. */

/** A ZIP archive of stored (uncompressed) entries, written by hand after APPNOTE 4.3. */
export function zipOf(entries: readonly { name: string; content: string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.content, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A minimal PDF whose content carries `text`, so that two texts are two files. */
export function pdfOf(text: string): Buffer {
  return Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog /Title (${text}) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** The signature and IHDR of a PNG, then `text`: enough for its magic number. */
export function pngOf(text: string): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), Buffer.from(text)]);
}

/** An OFD package (GB/T 33190): a ZIP with the entry file OFD.xml. */
export function ofdOf(text: string): Buffer {
  return zipOf([{ name: 'OFD.xml', content: `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocInfo><ofd:Title>${text}</ofd:Title></ofd:DocInfo></ofd:DocBody></ofd:OFD>` }]);
}

/** Uploads a PDF with `text` as `key`'s party and answers the reference a submission names it by. */
export async function attachPdf(t: Pick<TestKouan, 'request'>, key: string, kind: string, text: string): Promise<{ kind: string; sha256: string; name: string }> {
  const response = await t.request('POST', '/api/v1/attachments', { key, body: pdfOf(text), headers: { 'content-type': 'application/pdf' } });
  if (response.statusCode !== 201) throw new Error(`the upload was refused: ${response.body}`);
  return { kind, sha256: response.json<{ sha256: string }>().sha256, name: `${kind}.pdf` };
}
