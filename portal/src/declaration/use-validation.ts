import { useEffect, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { AttachmentRef, ValidationAnswer } from '../api/types';
import { asApiError } from '../api/use-resource';
import { useI18n } from '../i18n/i18n';

export interface Validation {
  readonly answer: ValidationAnswer | undefined;
  readonly error: ApiError | undefined;
  readonly checking: boolean;
}

const DEBOUNCE_MS = 350;

/**
 * Validates the document as the person types: a dry run (POST /api/v1/validate) a moment after the last
 * keystroke, so the form shows exactly the API's codes and messages, in the chosen language.
 */
export function useValidation(docType: string, document: unknown, attachments: readonly AttachmentRef[] = []): Validation {
  const { language } = useI18n();
  const body = JSON.stringify({ docType, data: document, ...(attachments.length === 0 ? {} : { attachments }) });
  const [validation, setValidation] = useState<Validation>({ answer: undefined, error: undefined, checking: true });

  useEffect(() => {
    let current = true;
    setValidation((previous) => ({ ...previous, checking: true }));
    const timer = window.setTimeout(() => {
      api.post<ValidationAnswer>('/validate', JSON.parse(body) as unknown).then(
        (answer) => current && setValidation({ answer, error: undefined, checking: false }),
        (error: unknown) => current && setValidation((previous) => ({ answer: previous.answer, error: asApiError(error), checking: false })),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [body, language]);

  return validation;
}
