// A static server for the built demo (target/demo/), bound to 127.0.0.1. Used by
// scripts/demo.sh and the end-to-end tests. `node scripts/serve-demo.mjs [port]` (0: any free port)
// prints the URL on its first line.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.yaml': 'text/yaml',
};

export const demoRoot = fileURLToPath(new URL('../target/demo/', import.meta.url));

/** Starts the server; resolves with `{ server, url }`. */
export async function serveDemo(port = 0, root = demoRoot) {
  const base = resolve(root);
  const server = createServer(async (request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(join(base, path));
    try {
      if (!file.startsWith(base + sep) || !(await stat(file)).isFile()) throw new Error('not found');
      const body = await readFile(file);
      // no-cache: the browser revalidates, so a rebuilt sw.js (new cache name) is picked up.
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolveListen);
  });
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serveDemo(Number(process.argv[2] ?? 0));
  console.log(url);
}
