#!/usr/bin/env node
// The package's command. It runs the compiled CLI; `npm install` compiles it (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('kouan: dist/ is missing; run `npm install` (or `npm run build`) in the checkout first.');
  process.exitCode = 1;
} else {
  await import(entry);
}
