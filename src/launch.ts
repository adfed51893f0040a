// dist/main.cjs: what production starts (`npm start`, the recipes). It sizes libuv's thread
// pool (thread-pool.ts), then loads the server bundle, dist/server.js (built from src/main.ts).
import { sizeThreadPool } from './thread-pool.js';

sizeThreadPool();
// Named by a variable: the bundle sits beside this file in dist/, not in src/.
const server = './server.js';
void import(server);
