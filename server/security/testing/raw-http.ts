import http from 'node:http';
import { io, type Socket } from 'socket.io-client';

/** A GET with the path sent byte for byte (fetch would normalise "..", "%2e" and "//"). */
export function rawGet(url: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; location: string | undefined; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: 'GET', path: rawPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A socket.io client that does not reconnect; resolves once connected or refused. */
export function socketConnect(url: string, cookie?: string, transports = ['websocket']): Promise<{ socket: Socket; error: Error | null }> {
  const socket = io(url, { transports, extraHeaders: { origin: url, ...(cookie ? { cookie } : {}) }, reconnection: false, forceNew: true, timeout: 10_000 });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, error: null }));
    socket.once('connect_error', (error) => resolve({ socket, error }));
  });
}
