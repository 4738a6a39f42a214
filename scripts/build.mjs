// `npm run build` (and `prepare`, so `npm install` builds): compiles src/ into dist/ with tsc
// (tsconfig.build.json) and copies the files the compiled code reads beside itself — the pages' CSS and
// JavaScript (src/pages/assets, read relative to import.meta.url). Paths outside src/ (migrations/,
// fixtures/, package.json) are the same from dist/ as from src/: both sit one level below the root.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
for (const dir of ['pages/assets']) {
  mkdirSync(join(root, 'dist', dir), { recursive: true });
  cpSync(join(root, 'src', dir), join(root, 'dist', dir), { recursive: true });
}
