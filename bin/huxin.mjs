#!/usr/bin/env node
// `huxin` command: runs the compiled CLI in dist/ (plain JavaScript, built by `npm install` through the
// `prepare` script, or `npm run build`). HUXIN_FROM_SOURCE=1 runs the TypeScript sources through tsx instead
// (a devDependency): the test suite sets it when it forks a command, so a test never runs a stale build.
import { existsSync } from 'node:fs';

let main;
if (process.env.HUXIN_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
} else {
  const built = new URL('../dist/cli.js', import.meta.url);
  if (!existsSync(built)) {
    process.stderr.write('护薪: 找不到编译后的程序 dist/cli.js，请先运行 npm install（或 npm run build）\n');
    process.exit(1);
  }
  ({ main } = await import(built.href));
}
process.exitCode = await main(process.argv.slice(2));
