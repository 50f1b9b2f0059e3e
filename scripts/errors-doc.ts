/** Renders docs/errors.md from the one registry of error codes (src/shared/errors.ts). */
import { FIELD_PROBLEMS, NOTICES, PROBLEMS } from '../src/shared/errors.js';

export const ERRORS_FILE = new URL('../docs/errors.md', import.meta.url);

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderErrorsDoc(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from src/shared/errors.ts by `npm run docs:errors`; a test fails when it is stale. -->',
    '',
    'Every error is an RFC 9457 `application/problem+json` body:',
    '',
    '```json',
    '{ "type": "/api/v1/errors#SUBMISSION_INVALID", "title": "The declaration has 1 problem; nothing was stored", "status": 422,',
    '  "detail": "...", "code": "SUBMISSION_INVALID", "instance": "/api/v1/submissions", "requestId": "req_...",',
    '  "errors": [ { "path": "$.lines[0].unit", "code": "UNIT_UNKNOWN", "message": "\\"ZZZ\\" is not a UN/ECE Recommendation 20 unit code Kouan knows" } ] }',
    '```',
    '',
    '`code` names what went wrong with the request; each entry of `errors[]` names what is wrong with one value, at',
    'its JSON path. Codes are stable: they are never renamed, only added. Messages follow `Accept-Language`',
    '(English, or Chinese for `zh`); `{name}` stands for a value filled in. The same registry is served at',
    '`GET /api/v1/errors`.',
    '',
    '## Problem codes',
    '',
    '| code | HTTP status | English | 中文 |',
    '|---|---|---|---|',
    ...Object.entries(PROBLEMS).map(([code, spec]) => `| \`${code}\` | ${spec.status} | ${cell(spec.en)} | ${cell(spec.zh)} |`),
    '',
    '## Field codes (in `errors[]`)',
    '',
    '| code | English | 中文 |',
    '|---|---|---|',
    ...Object.entries(FIELD_PROBLEMS).map(([code, spec]) => `| \`${code}\` | ${cell(spec.en)} | ${cell(spec.zh)} |`),
    '',
    '## Notices',
    '',
    'Not errors: what a caller should know about how a document was checked (`notices[]` of a submission or a validation).',
    '',
    '| code | English | 中文 |',
    '|---|---|---|',
    ...Object.entries(NOTICES).map(([code, spec]) => `| \`${code}\` | ${cell(spec.en)} | ${cell(spec.zh)} |`),
    '',
  ];
  return lines.join('\n');
}
