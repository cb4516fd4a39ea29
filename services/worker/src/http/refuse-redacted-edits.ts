import type { FastifyReply, FastifyRequest } from 'fastify';

const UPDATE_DATA_ROUTE = '/api/queues/:queueName/:jobId/update-data';

/**
 * An `onRequest` hook refusing bull-board's "edit job data" on queues whose payloads the dashboard
 * shows redacted: the editor would start from the redacted copy, and saving it would overwrite the
 * real recipient and body with placeholders.
 */
export function refuseRedactedEdits(redactedQueues: readonly string[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.routeOptions.url !== UPDATE_DATA_ROUTE) return;
    const { queueName } = request.params as { queueName?: string };
    if (queueName === undefined || !redactedQueues.includes(queueName)) return;
    await reply
      .code(403)
      .type('application/problem+json')
      .send({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Payloads of this queue are redacted here and cannot be edited.' });
  };
}
