import type { IncomingMessage } from 'node:http';

/** A test server's request body as UTF-8, joined as bytes so a character split across chunks survives. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
