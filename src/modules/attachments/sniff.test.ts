import { describe, expect, it } from 'vitest';
import { pdfOf, zipOf } from '../../../test/support/files.js';
import { sniffMediaType, zipEntries } from './sniff.js';

const PDF = pdfOf('invoice');

describe('sniffMediaType', () => {
  it('tells each taken format by its magic number', () => {
    expect(sniffMediaType(PDF)).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe('image/png');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]))).toBe('image/tiff');
    expect(sniffMediaType(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('image/tiff');
    // An OFD package lists its entry file OFD.xml, wherever it is in the archive.
    expect(sniffMediaType(zipOf([{ name: 'Doc_0/Document.xml', content: '<ofd:Document/>' }, { name: 'OFD.xml', content: '<ofd:OFD/>' }]))).toBe('application/ofd');
  });

  it('takes nothing else, whatever it would be named', () => {
    expect(sniffMediaType(Buffer.from('<html><script>alert(1)</script></html>'))).toBeUndefined();
    expect(sniffMediaType(Buffer.from('MZ\x90\x00'))).toBeUndefined();
    expect(sniffMediaType(Buffer.from(''))).toBeUndefined();
    // A PDF header on something that does not end as a PDF, a ZIP that is not OFD (a .docx, say), a broken ZIP.
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n<html>'))).toBeUndefined();
    expect(sniffMediaType(zipOf([{ name: '[Content_Types].xml', content: '<Types/>' }, { name: 'word/document.xml', content: '<w/>' }]))).toBeUndefined();
    expect(sniffMediaType(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('OFD.xml')]))).toBeUndefined();
  });

  it('reads a ZIP central directory and refuses one that points outside the file', () => {
    expect(zipEntries(zipOf([{ name: 'a.txt', content: 'a' }, { name: 'b/c.xml', content: '<c/>' }]))).toEqual(['a.txt', 'b/c.xml']);
    const broken = zipOf([{ name: 'OFD.xml', content: 'x' }]);
    broken.writeUInt32LE(0xffffff, broken.length - 6);
    expect(zipEntries(broken)).toEqual([]);
  });
});
