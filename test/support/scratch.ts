/**
 * A store without Kouan's tables (migrations off), for the store's own tests: opened before a describe's tests and
 * closed and dropped after them. Call it inside the describe; it returns the open store.
 */
import { afterAll, beforeAll } from 'vitest';
import { openStore, type OpenOptions, type Store } from '../../src/store/store.js';
import { createTestStore, type StoreKind, type TestStore } from './stores.js';

export function scratchStore(kind: StoreKind, options: Omit<OpenOptions, 'migrate'> = {}): () => Store {
  let testStore: TestStore | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    testStore = await createTestStore(kind);
    store = await openStore(testStore.config, { ...options, migrate: false });
  });
  afterAll(async () => {
    await store?.close();
    await testStore?.drop();
  });
  return () => {
    if (store === undefined) throw new Error('the scratch store is opened in beforeAll');
    return store;
  };
}
