/**
 * Browser tests drive the built portal (dist/portal, served by Kouan). Build it once before they run when it is
 * missing, or older than its sources (so a test never checks yesterday's portal).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INDEX = join(ROOT, 'dist/portal/index.html');

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default async function buildPortalOnce(): Promise<void> {
  const built = existsSync(INDEX) ? statSync(INDEX).mtimeMs : 0;
  if (built > newestSource(join(ROOT, 'portal'))) return;
  const { build } = await import('vite');
  process.stdout.write('Building the portal for the browser tests (vite build)...\n');
  await build({ configFile: join(ROOT, 'portal/vite.config.ts'), logLevel: 'warn' });
}
