/**
 * The document types the platform publishes (GET /api/v1/doctypes, GET /api/v1/doctypes/{id}): what the lists
 * filter on, what "new document" offers, and the schema a generic form and view are rendered from.
 */
import { api, segment } from './client';
import type { DocType, DocTypeList, DocTypeSummary, Language } from './types';
import { useResource } from './use-resource';

/** Every published document type, for a type filter or a choice of what to declare. */
export function useDocTypes() {
  return useResource((signal) => api.get<DocTypeList>('/doctypes', undefined, signal), 'doctypes');
}

/** One document type's definition with its schema. */
export function useDocType(id: string) {
  return useResource((signal) => api.get<DocType>(`/doctypes/${segment(id)}`, undefined, signal), `doctype:${id}`);
}

/** A document type's title in the language, or its id while the list is not loaded (or has no such type). */
export function docTypeTitle(types: readonly DocTypeSummary[] | undefined, id: string, language: Language): string {
  const type = types?.find((candidate) => candidate.id === id);
  return type === undefined ? id : type.title[language];
}
