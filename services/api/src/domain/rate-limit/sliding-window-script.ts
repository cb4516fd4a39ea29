/**
 * The sliding-window counter as one Redis script, so check-and-count is atomic across replicas:
 * the current fixed window's count plus the previous window's, weighted by how much of it the
 * sliding window still overlaps. Rules:
 * - time is Redis's own (`TIME`), so replicas with skewed clocks agree on the window;
 * - one hash per subject (fields: window index → count), so the one key of a call is declared in
 *   KEYS and carries the caller's hash tag (Redis Cluster keeps it in one slot);
 * - every write sets a TTL of two windows: an idle subject disappears on its own;
 * - `cost` 0 only looks (would one more be allowed?), a positive cost counts, a negative cost
 *   refunds (a success that must not count, after a pessimistic reservation).
 * KEYS[1]: the subject's hash. ARGV: limit, window ms, cost.
 * Returns {allowed (1/0), retry-after ms, remaining, ms until the current window ends}.
 */
export const SLIDING_WINDOW_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local index = math.floor(now / window)
local elapsed = now - index * window
local current = tonumber(redis.call('HGET', KEYS[1], index) or '0')
local previous = tonumber(redis.call('HGET', KEYS[1], index - 1) or '0')
local weight = (window - elapsed) / window
local estimate = previous * weight + current
local reset = window - elapsed
if cost < 0 then
  if current > 0 then
    redis.call('HINCRBY', KEYS[1], index, -1)
  elseif previous > 0 then
    redis.call('HINCRBY', KEYS[1], index - 1, -1)
  end
  return {1, 0, math.max(0, math.floor(limit - estimate + 1)), reset}
end
local needed = cost
if needed == 0 then needed = 1 end
if estimate + needed > limit then
  local wait = reset
  if previous > 0 and current + needed <= limit then
    wait = math.ceil((1 - (limit - needed - current) / previous) * window) - elapsed
    if wait < 1 then wait = 1 end
  end
  return {0, wait, 0, reset}
end
if cost > 0 then
  redis.call('HINCRBY', KEYS[1], index, cost)
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if tonumber(field) < index - 1 then redis.call('HDEL', KEYS[1], field) end
  end
  redis.call('PEXPIRE', KEYS[1], window * 2)
end
return {1, 0, math.max(0, math.floor(limit - estimate - cost)), reset}
`;
