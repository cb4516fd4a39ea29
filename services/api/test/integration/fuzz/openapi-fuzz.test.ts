import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { seedFuzzFixtures, type FuzzerData } from './fuzz-fixtures.js';
import { describeFailures, ensureSchemathesis, runSchemathesis, summary } from './schemathesis.js';

/**
 * Schemathesis (property-based API fuzzer, pinned by scripts/ensure-schemathesis.sh) against the
 * OpenAPI document the API serves at /docs/json, over a real loopback socket, with an admin token:
 * every phase — the schema's examples, coverage (boundary values and invalid inputs for each
 * constraint, undeclared methods, missing auth), fuzzing (generated valid and invalid requests)
 * and stateful (chains of calls that follow the links it infers, create → read → delete) — and
 * the checks below. Whatever the document says a response is, the API must answer exactly that.
 *
 * Not enabled, on purpose: `positive_data_acceptance` (the API has documented rules no schema can
 * state — a cursor must be one a page returned, a password must meet the tenant's policy, client
 * fields constrain each other — so a schema-valid request may rightly be a 400) and
 * `object_level_authorization` (one principal: an admin token sees everything).
 *
 * Reproducible: a fixed seed, one worker, no example database carried between runs. To run alone:
 *   npx vitest run services/api/test/integration/fuzz
 * A failure prints each failing case with a curl command that reproduces it; with
 * LANYARD_FUZZ_REPORTS=<dir> the config, a JUnit report and an NDJSON log of every request and
 * response are kept in <dir>.
 */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'missing_required_header',
  'ignored_auth',
  'unsupported_method',
  'allow_header_conformance',
  'use_after_free',
  'ensure_resource_availability',
];

const SEED = 20_261_202;
/** Cases per operation and phase: ~4,000 requests, ~100 s on two cores, alone or beside the rest of the suite. */
const MAX_EXAMPLES = 100;
/**
 * The whole run, killed past this. It must end inside one admin token's lifetime, which this
 * test's API sets to 20 minutes: a loaded two-core CI host has taken more than 4½ minutes.
 */
const TOKEN_LIFETIME_SECONDS = 1_200;
const RUN_BUDGET_MS = (TOKEN_LIFETIME_SECONDS - 60) * 1000;

describe('admin API under schemathesis (all phases, positive and negative inputs)', () => {
  let st: string;
  let api: TestApi;
  let data: FuzzerData;

  beforeAll(async () => {
    st = ensureSchemathesis();
    api = await startTestApi({ listen: true, env: { ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_LIFETIME_SECONDS) } });
    data = await seedFuzzFixtures(api, await api.adminToken());
  }, 600_000);
  afterAll(() => api?.close());

  it('finds no server error and no response its OpenAPI document does not describe', async () => {
    const token = await api.adminToken();
    const run = await runSchemathesis({
      st,
      schemaUrl: `${api.baseUrl}/docs/json`,
      bearerToken: token,
      data,
      checks: CHECKS,
      timeoutMs: RUN_BUDGET_MS,
      keepReportsIn: process.env.LANYARD_FUZZ_REPORTS,
      args: [
        '--phases', 'examples,coverage,fuzzing,stateful',
        '--mode', 'all',
        '--max-examples', String(MAX_EXAMPLES),
        '--seed', String(SEED),
        // One worker: deterministic order, and CPython 3.11's parser is not safe from several threads.
        '--workers', '1',
        '--generation-database', 'none',
        '--request-timeout', '30',
        '--no-color',
      ],
    });
    // Its report is not printed on success: schemathesis ends with a pytest-style banner
    // ("== 1 warning in 114 s ==") that CI's reader took for the whole run's result, a run with no test.
    expect(run.failures, describeFailures(run)).toEqual([]);
    expect(run.exitCode, summary(run.output)).toBe(0);
    expect(run.tests).toBeGreaterThan(20);

    // The same from the server's side: nothing it answered was a 5xx (`request failed` is the
    // error handler's line for every 500; request-telemetry logs every status).
    const serverErrors = api.logs.filter((line) => line.msg === 'request failed' || (typeof line.statusCode === 'number' && line.statusCode >= 500));
    expect(serverErrors, JSON.stringify(serverErrors.slice(0, 5), null, 2)).toEqual([]);

    // It ran authenticated throughout: its token neither expired nor lost its client (a run that
    // deleted or rewrote the bootstrap admin client would have fuzzed 401s from then on).
    const { iat, exp } = decodeJwt(token);
    expect(run.seconds).toBeLessThan(exp! - iat!);
    expect((await api.app.inject({ url: '/admin/v1/tenants', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    // And it got past validation and 404s: every admin operation in the document succeeded at least once.
    const document = (await api.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/admin/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    const succeeded = new Set(
      api.logs
        .filter((line) => line.msg === 'request completed' && typeof line.statusCode === 'number' && line.statusCode < 300)
        .map((line) => `${String(line.method)} ${String(line.route)}`),
    );
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.filter((operation) => !succeeded.has(operation)), 'admin operations that never answered 2xx').toEqual([]);
  }, RUN_BUDGET_MS + 60_000);
});
