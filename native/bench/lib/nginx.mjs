// nginx as the HTTP peer: one worker, `sendfile on; tcp_nopush off;` (the best
// nginx on loopback, per BENCHMARKING.md), everything under a private prefix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { freePort, startService } from './processes.mjs';

export function nginxAvailable() {
  return spawnSync('nginx', ['-v']).status === 0;
}

export async function startNginx(core, prefix, root) {
  const port = await freePort();
  fs.mkdirSync(path.join(prefix, 'temp'), { recursive: true });
  const config = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(
    config,
    `daemon off;
master_process off;
worker_processes 1;
error_log stderr warn;
pid ${path.join(prefix, 'nginx.pid')};
events { worker_connections 1024; use epoll; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush off;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000000;
  client_body_temp_path ${path.join(prefix, 'temp')};
  proxy_temp_path ${path.join(prefix, 'temp')};
  fastcgi_temp_path ${path.join(prefix, 'temp')};
  uwsgi_temp_path ${path.join(prefix, 'temp')};
  scgi_temp_path ${path.join(prefix, 'temp')};
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { }
  }
}
`,
  );
  return startService(core, 'nginx', ['-p', prefix, '-c', config], { port });
}
