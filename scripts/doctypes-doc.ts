/** The published definitions (GET /api/v1/doctypes/{id}, default options) as files under docs/doctypes/. */
import { createDocTypeRegistry } from '../src/doctypes/index.js';

export const DOCTYPES_DIR = new URL('../docs/doctypes/', import.meta.url);

/** One file per document type: its published definition, pretty-printed with a final newline. */
export function renderPublishedDocTypes(): { file: URL; content: string }[] {
  const registry = createDocTypeRegistry();
  return registry.ids().map((id) => ({ file: new URL(`${id}.json`, DOCTYPES_DIR), content: `${JSON.stringify(registry.publish(id), null, 2)}\n` }));
}
