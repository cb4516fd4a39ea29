import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort, spawnEntry, startSmtpSink, testEnvironment, testSecrets, type SmtpSink, type SpawnedProcess } from '@lanyard/testing';
import type { TestApi } from './test-api.js';

/** One delivered email, parsed the way a mail client would (MIME, quoted-printable, headers). */
export interface DeliveredMail {
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly raw: string;
}

/**
 * The real email path of a test API: the worker as its own process (`services/worker/src/server.ts`,
 * as `npm run up` starts it) draining the API's queue in the same Redis and database, and a real
 * SMTP server that keeps what it receives.
 */
export interface MailPipeline {
  readonly sink: SmtpSink;
  worker(): SpawnedProcess;
  /** Every message delivered so far, parsed, oldest first. */
  delivered(): Promise<DeliveredMail[]>;
  /** Waits until a message to `to` whose subject matches arrives (or `count` of them). */
  waitForMail(to: string, subject: RegExp, options?: { count?: number; timeoutMs?: number }): Promise<DeliveredMail>;
  /** The first link in a message's text part that starts with `prefix`. */
  linkIn(mail: DeliveredMail, prefix: string): string;
  /** Kills the worker process with `signal` and waits for it to exit. */
  stopWorker(signal?: NodeJS.Signals): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function startMailPipeline(api: TestApi, options: { env?: Record<string, string> } = {}): Promise<MailPipeline> {
  const sink = await startSmtpSink();
  const port = await freePort();
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    WORKER_HOST: '127.0.0.1',
    WORKER_PORT: String(port),
    DATABASE_URL: api.database.url,
    REDIS_URL: testEnvironment.redisUrl,
    REDIS_KEY_PREFIX: api.config.REDIS_KEY_PREFIX,
    KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
    SMTP_URL: sink.url,
    SMTP_FROM: 'Lanyard <no-reply@lanyard.test>',
    SHUTDOWN_GRACE_SECONDS: '5',
    ...options.env,
  };
  let worker: SpawnedProcess;
  const start = async () => {
    worker = spawnEntry('services/worker/src/server.ts', env);
    await worker.waitFor('worker started', 60_000);
  };
  await start();
  const parsed = new Map<string, DeliveredMail>();
  const delivered = async () => {
    const out: DeliveredMail[] = [];
    for (const message of sink.messages) {
      let mail = parsed.get(message.raw);
      if (mail === undefined) {
        const p: ParsedMail = await simpleParser(message.raw);
        mail = {
          to: message.to[0] ?? '',
          from: p.from?.text ?? '',
          subject: p.subject ?? '',
          text: p.text ?? '',
          html: typeof p.html === 'string' ? p.html : '',
          messageId: p.messageId ?? '',
          raw: message.raw,
        };
        parsed.set(message.raw, mail);
      }
      out.push(mail);
    }
    return out;
  };
  return {
    sink,
    worker: () => worker,
    delivered,
    async waitForMail(to, subject, { count = 1, timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = (await delivered()).filter((m) => m.to === to && subject.test(m.subject));
        if (matching.length >= count) return matching[count - 1]!;
        if (Date.now() > deadline) {
          const seen = (await delivered()).map((m) => `${m.to}: ${m.subject}`).join('\n');
          throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms; delivered:\n${seen}\nworker stderr:\n${worker.stderr()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    linkIn(mail, prefix) {
      const link = mail.text.match(/https?:\/\/[^\s<>"]+/g)?.find((l) => l.startsWith(prefix));
      if (link === undefined) throw new Error(`no link starting with ${prefix} in:\n${mail.text}`);
      return link;
    },
    async stopWorker(signal = 'SIGTERM') {
      worker.child.kill(signal);
      await worker.exited;
    },
    startWorker: start,
    async close() {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await sink.close();
    },
  };
}
