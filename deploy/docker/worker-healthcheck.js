/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS on purpose: run by node in the image, no build step */
'use strict';
// The worker's healthcheck in docker-compose.yml. The worker serves no HTTP; what shows it is at
// work is its connection to Redis: BullMQ keeps a blocking connection open per queue for as long
// as the worker runs, and drops it when the worker stops or loses Redis. The container has its own
// network namespace, so /proc/net/tcp lists this worker's sockets and no one else's.
const { readFileSync } = require('node:fs');
const { URL } = require('node:url');

const ESTABLISHED = '01';
const redisPort = Number(new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379').port || 6379);

function establishedTo(port, table) {
  let text;
  try {
    text = readFileSync(table, 'utf8');
  } catch {
    return false;
  }
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .some(([, , remote, state]) => state === ESTABLISHED && parseInt(remote.split(':').pop(), 16) === port);
}

const connected = ['/proc/net/tcp', '/proc/net/tcp6'].some((table) => establishedTo(redisPort, table));
if (!connected) console.error(`worker: no open connection to Redis (port ${redisPort})`);
process.exit(connected ? 0 : 1);
