import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Forwards everything to the PagerDuty simulator; the FIRST request matching `slow` is
 * forwarded at once (PagerDuty processes it) but answered only after `delayMs` — the
 * "outcome unknown" case: the write happened, the caller timed out.
 */
export class SlowAnswerProxy {
  slowed = 0;
  private server: Server | null = null;

  constructor(private readonly target: string, private readonly slow: (method: string, path: string) => boolean, private readonly delayMs: number) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.forward(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const answer = await fetch(`${this.target}${req.url}`, { method: req.method, headers, body });
    const payload = Buffer.from(await answer.arrayBuffer());
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (this.slowed === 0 && this.slow(req.method ?? '', path)) {
      this.slowed += 1;
      await new Promise((r) => setTimeout(r, this.delayMs));
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([k]) => !['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k))));
    res.end(payload);
  }
}
