/**
 * Field labels and help in Chinese and English, carried in the published JSON Schema (`x-label`, `x-help`), so
 * that forms, error messages and the published documentation all come from the schema.
 */
import type { TSchema } from 'typebox';
import type { Text } from './doctype.js';

/** The schema with its label (and help text) set. */
export function labelled<T extends TSchema>(schema: T, label: Text, help?: Text): T {
  return Object.assign(schema, { 'x-label': label }, help === undefined ? {} : { 'x-help': help });
}

/** The enum schema with a label in both languages for each of its values (`x-enum-labels`), for forms' choices. */
export function enumLabelled<T extends TSchema>(schema: T, labels: Readonly<Record<string, Text>>): T {
  return Object.assign(schema, { 'x-enum-labels': labels });
}

/**
 * JSON paths of the properties of a schema that carry no `x-label` in both languages, and of enum values
 * without a label in both (`$.direction=import`): the contract test wants none.
 */
export function unlabelled(schema: TSchema, path = '$'): string[] {
  const node = schema as { properties?: Record<string, TSchema>; items?: TSchema; anyOf?: TSchema[]; enum?: unknown[]; 'x-enum-labels'?: Record<string, Partial<Text>> };
  const missing: string[] = [];
  for (const value of node.enum ?? []) {
    const label = node['x-enum-labels']?.[String(value)];
    if (typeof label?.en !== 'string' || typeof label.zh !== 'string' || label.en === '' || label.zh === '') missing.push(`${path}=${String(value)}`);
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const label = (child as { 'x-label'?: Partial<Text> })['x-label'];
    if (typeof label?.en !== 'string' || typeof label.zh !== 'string' || label.en === '' || label.zh === '') missing.push(`${path}.${name}`);
    missing.push(...unlabelled(child, `${path}.${name}`));
  }
  if (node.items !== undefined) missing.push(...unlabelled(node.items, `${path}[]`));
  for (const branch of node.anyOf ?? []) missing.push(...unlabelled(branch, path));
  return missing;
}
