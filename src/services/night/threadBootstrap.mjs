// A night worker thread's entry when Huxin runs from its TypeScript sources (tsx, vitest): the thread loads
// them through tsx's loader, registered here, whatever loader its parent thread had. From the compiled dist/
// the thread runs nightThread.js directly (threads.ts threadEntry) and needs no tsx.
import { register } from 'tsx/esm/api';

register();
await import('./nightThread.ts');
