#!/usr/bin/env node
// `huxin` command: runs the TypeScript CLI through tsx's loader, so there is no build step
// between a fresh clone and a working command (`npm install && npx huxin …`).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
