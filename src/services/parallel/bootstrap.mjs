// A worker thread's entry: TypeScript runs through tsx's loader here as in the main thread (bin/huxin.mjs),
// whatever loader the parent thread had (the CLI, `node --import tsx`, vitest).
import { register } from 'tsx/esm/api';

register();
await import('./chunkWorker.ts');
