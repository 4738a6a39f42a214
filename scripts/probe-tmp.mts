import { buildServer } from '../src/server.ts';
import { openDatabase } from '../src/db/open.ts';
import { createToken } from '../src/api/tokens.ts';
const path = '/tmp/bn/city.db';
const db = openDatabase(path);
const token = createToken(db, { role: 'viewer', name: 'p', actor: 'p', now: new Date().toISOString() }).token;
const app = await buildServer({ db, dbPath: path });
const code = (db.$client.prepare('SELECT code FROM projects LIMIT 1 OFFSET 7').get() as { code: string }).code;
for (const url of ['/api/v1/flags?pageSize=50', '/api/v1/flags?pageSize=50&code=WAGE_UNPAID', '/api/v1/projects?pageSize=50', '/api/v1/projects?pageSize=50&sort=risk', '/api/v1/projects/' + code]) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); const r = await app.inject({ url, headers: { authorization: `Bearer ${token}` } }); times.push(performance.now() - t); if (r.statusCode !== 200) console.log(r.statusCode, r.body.slice(0, 200)); }
  console.log(url, times.map((x) => x.toFixed(0)).join(' '));
}
await app.close();
