// Test support: serves the built pane (addin/dist) and forwards every other request to the service, so the pane
// talks to the API on its own origin, as it does when the service itself serves addin/dist.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface PaneServer {
  url: string;
  close(): Promise<void>;
}

export async function startPaneServer(dist: string, apiUrl: string): Promise<PaneServer> {
  const api = new URL(apiUrl);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const file =
      path === '/'
        ? 'taskpane.html'
        : normalize(path)
            .replace(/^(\.\.[/\\])+/, '')
            .replace(/^[/\\]+/, '');
    const full = join(dist, file);
    if (req.method === 'GET' && full.startsWith(dist) && existsSync(full) && statSync(full).isFile()) {
      res.writeHead(200, { 'Content-Type': TYPES[extname(full)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      createReadStream(full).pipe(res);
      return;
    }
    const upstream = request(
      { hostname: api.hostname, port: api.port, method: req.method, path: req.url, headers: { ...req.headers, host: api.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'bad_gateway', message: `pane server: ${err.message}` } }));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
