// Docker HEALTHCHECK for the Lanyard image: exit 0 when GET <url> answers 2xx within 2 s.
// Usage: node healthcheck.mjs [url]   (default: the API's liveness endpoint)
const url = process.argv[2] ?? 'http://127.0.0.1:8000/healthz';
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
