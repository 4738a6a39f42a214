/**
 * `huxin …` run in-process (src/cli.ts main) over a database (--db: a file path or a postgres:// URL), with
 * what it printed on each stream.
 */
import { Writable } from 'node:stream';
import { main } from '../../src/cli.ts';

export async function huxin(location: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  const code = await main([...argv, '--db', location], { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
  return { code, out, err };
}
