/**
 * Writes a .br and a .gz beside each text file of the built portal (dist/portal), so Kouan sends the compressed
 * one to browsers that accept it (@fastify/static preCompressed) without compressing on every request.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { PORTAL_DIR } from '../src/http/portal.js';

const TEXT = /\.(?:html|js|css|svg|json|txt)$/;

function* files(directory: string): Generator<string> {
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (TEXT.test(name)) yield path;
  }
}

let before = 0;
let after = 0;
for (const path of files(PORTAL_DIR)) {
  const content = readFileSync(path);
  const brotli = brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  before += content.length;
  after += brotli.length;
}
console.log(`portal: ${(before / 1024).toFixed(0)} KiB, ${(after / 1024).toFixed(0)} KiB with brotli`);
