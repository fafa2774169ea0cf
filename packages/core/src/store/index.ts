// The store folder's public entry (the contract tests are not here: they import vitest).
export type {
  BucketCheck,
  CheckResult,
  CounterState,
  DecideOptions,
  Decision,
  IncrementOptions,
  SetOptions,
  Store,
  StoreCheck,
  StoreValue,
  WindowCheck,
} from './store.js';
export { StoreArgumentError } from './store-argument-error.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { storeKey, windowKey, type WindowSlot } from './store-keys.js';
