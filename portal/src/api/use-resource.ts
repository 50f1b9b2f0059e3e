import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './client';

export type Resource<T> =
  | { readonly state: 'loading'; readonly data: T | undefined; readonly error: undefined }
  | { readonly state: 'ready'; readonly data: T; readonly error: undefined }
  | { readonly state: 'failed'; readonly data: T | undefined; readonly error: ApiError };

/** Turns anything thrown into an ApiError, so every failure can be shown with the same panel. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'PORTAL_ERROR', title: message, status: 0 });
}

/**
 * Loads what a page shows and loads it again when `key` changes or `reload()` is called. An answer that arrives
 * after the page moved on is dropped (its request is aborted).
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Resource<T> & { reload: () => void } {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading', data: undefined, error: undefined });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setResource((previous) => ({ state: 'loading', data: previous.data, error: undefined }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResource({ state: 'ready', data, error: undefined });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setResource((previous) => ({ state: 'failed', data: previous.data, error: asApiError(error) }));
      },
    );
    return () => controller.abort();
    // `load` is a new closure on every render; `key` says when what it loads changed.
  }, [key, generation]);

  return { ...resource, reload };
}
