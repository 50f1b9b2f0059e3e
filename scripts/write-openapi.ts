/**
 * `npm run openapi`: regenerates the published contract after an API or document-type change: docs/openapi.json
 * docs/authorization.md and docs/doctypes/<id>.json (tests fail while they are stale).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AUTHORIZATION_FILE, renderAuthorizationDoc } from './authorization-doc.js';
import { DOCTYPES_DIR, renderPublishedDocTypes } from './doctypes-doc.js';
import { generateOpenApi, OPENAPI_FILE } from './openapi.js';

const openapi = await generateOpenApi();
writeFileSync(OPENAPI_FILE, openapi);
console.log(`wrote ${fileURLToPath(OPENAPI_FILE)}`);
writeFileSync(AUTHORIZATION_FILE, renderAuthorizationDoc(openapi));
console.log(`wrote ${fileURLToPath(AUTHORIZATION_FILE)}`);
mkdirSync(DOCTYPES_DIR, { recursive: true });
for (const { file, content } of renderPublishedDocTypes()) {
  writeFileSync(file, content);
  console.log(`wrote ${fileURLToPath(file)}`);
}
