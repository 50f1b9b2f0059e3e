/** `npm run openapi`: regenerates docs/openapi.json after an API change (a test fails while it is stale). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateOpenApi, OPENAPI_FILE } from './openapi.js';

writeFileSync(OPENAPI_FILE, await generateOpenApi());
console.log(`wrote ${fileURLToPath(OPENAPI_FILE)}`);
