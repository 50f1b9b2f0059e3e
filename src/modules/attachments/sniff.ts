import type { AttachmentMediaType } from '../doctypes/index.js';

/**
 * What a file is, by its own bytes (its magic number and, for a PDF, its end), not by its name or the type a
 * client claims: a script named invoice.pdf is nothing Kouan takes. OFD (GB/T 33190, China's layout format that
 * electronic invoices come in) is a ZIP package whose central directory lists the entry file OFD.xml.
 */
export function sniffMediaType(bytes: Uint8Array): AttachmentMediaType | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return pdfEnds(bytes) ? 'application/pdf' : undefined;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && zipEntries(bytes).includes('OFD.xml')) return 'application/ofd';
  return undefined;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte);
}

/** A PDF ends with %%EOF (ISO 32000-1 7.5.5), perhaps followed by line ends; readers look for it in the last 1024 bytes. */
function pdfEnds(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  return tail.includes('%%EOF');
}

/** The names in a ZIP file's central directory (APPNOTE 4.3.12, 4.3.16), or none when it has no sound one. */
export function zipEntries(bytes: Uint8Array): string[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is the last thing in the file, before a comment of at most 65535 bytes.
  const earliest = Math.max(0, view.length - 22 - 0xffff);
  let end = -1;
  for (let at = view.length - 22; at >= earliest; at -= 1) {
    if (view.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return [];
  const count = view.readUInt16LE(end + 10);
  let at = view.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > view.length || view.readUInt32LE(at) !== 0x02014b50) return [];
    const nameLength = view.readUInt16LE(at + 28);
    const extraLength = view.readUInt16LE(at + 30);
    const commentLength = view.readUInt16LE(at + 32);
    if (at + 46 + nameLength > view.length) return [];
    names.push(view.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
