// `npm run -w @lanyard/dashboards generate [dir]`: (re)writes grafana/dashboards_json/ from code.
// The directory is replaced wholesale so a dashboard removed from code disappears from disk too.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboardFiles } from '../index.js';

const defaultDir = fileURLToPath(new URL('../../../../grafana/dashboards_json', import.meta.url));
const dir = resolve(process.argv[2] ?? defaultDir);

mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) if (name.endsWith('.json')) rmSync(join(dir, name));
for (const [name, contents] of dashboardFiles()) writeFileSync(join(dir, name), contents);
console.log(`wrote ${dashboardFiles().size} dashboards to ${dir}`);
