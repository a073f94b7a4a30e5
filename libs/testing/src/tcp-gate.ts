import { connect, createServer, type Server, type Socket } from 'node:net';
import { AddressInfo } from 'node:net';

/**
 * A local port in front of a real server (the broker, PostgreSQL) that a test can shut and open:
 * shut, it refuses connections and cuts the ones it carries (the server "restarts"); open, it
 * forwards each connection to the target. Starts shut.
 */
export class TcpGate {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(readonly port: number, private readonly target: { host: string; port: number }) {}

  /** A gate on a free port, shut. `target` is `host:port`. */
  static async to(target: string): Promise<TcpGate> {
    const [host, port] = target.split(':');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const free = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return new TcpGate(free, { host: host || '127.0.0.1', port: Number(port) });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      this.sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  /** Refuses new connections and cuts the open ones. */
  async shut(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.sockets.forEach((s) => s.destroy());
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
