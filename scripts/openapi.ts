/** Builds the OpenAPI document from the routes' TypeBox schemas, on a throwaway store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { createKouan } from '../src/main.js';

export const OPENAPI_FILE = new URL('../docs/openapi.json', import.meta.url);

/** The OpenAPI document as served at /api/v1/openapi.json, pretty-printed with a final newline. */
export async function generateOpenApi(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kouan-openapi-'));
  try {
    const kouan = await createKouan(loadConfig({ dataDir }, { KOUAN_LOG_LEVEL: 'silent' }), { startExchange: false });
    try {
      await kouan.app.ready();
      return `${JSON.stringify(kouan.app.swagger(), null, 2)}\n`;
    } finally {
      await kouan.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
