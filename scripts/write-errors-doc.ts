/** `npm run docs:errors`: regenerates docs/errors.md after a change to the error registry. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERRORS_FILE, renderErrorsDoc } from './errors-doc.js';

writeFileSync(ERRORS_FILE, renderErrorsDoc());
console.log(`wrote ${fileURLToPath(ERRORS_FILE)}`);
