// A worker thread's entry when the evaluation runs from the TypeScript sources (tests, tsx): TypeScript runs
// through tsx's loader here, whatever loader the parent thread had (vitest, `node --import tsx`). The
// compiled build (dist/) starts chunkWorker.js directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./chunkWorker.ts');
