/** Where this Kouan runs (GET /api/v1/platform): its country and time zone, asked once per visit. */
import { api } from './client';
import type { Platform } from './types';

let platform: Promise<Platform | undefined> | undefined;

/** The platform, or undefined on a server that does not say (older servers, or the call failed). */
export function loadPlatform(): Promise<Platform | undefined> {
  platform ??= api.get<Platform>('/platform').then(
    (answer) => (typeof answer.timeZone === 'string' ? answer : undefined),
    () => {
      platform = undefined;
      return undefined;
    },
  );
  return platform;
}
