/**
 * The sliding-window counter as one Redis script, so check-and-count is atomic across replicas:
 * the current fixed window's count plus the previous window's, weighted by how much of it the
 * sliding window still overlaps. Rules:
 * - time is Redis's own (`TIME`), so replicas with skewed clocks agree on the window;
 * - one hash per subject (fields: window index → count), declared in KEYS with the caller's hash
 *   tag; several subjects may be decided in one call (one round trip, one script run), which a
 *   single Redis allows and Redis Cluster allows for one key per call;
 * - every write sets a TTL of two windows: an idle subject disappears on its own;
 * - `cost` 0 only looks (would one more be allowed?), a positive cost counts, a negative cost
 *   refunds (a success that must not count, after a pessimistic reservation);
 * - a refusal says when one more would really be allowed (Retry-After), also when that is past
 *   the end of the current window.
 * KEYS[i]: the i-th subject's hash. ARGV[3i-2..3i]: its limit, window ms, cost.
 * Returns, per key in order, {allowed (1/0), retry-after ms, remaining, ms until the window ends}.
 */
export const SLIDING_WINDOW_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function decide(key, limit, window, cost)
  local index = math.floor(now / window)
  local elapsed = now - index * window
  local current = tonumber(redis.call('HGET', key, index) or '0')
  local previous = tonumber(redis.call('HGET', key, index - 1) or '0')
  local weight = (window - elapsed) / window
  local estimate = previous * weight + current
  local reset = window - elapsed
  if cost < 0 then
    if current > 0 then
      redis.call('HINCRBY', key, index, -1)
    elseif previous > 0 then
      redis.call('HINCRBY', key, index - 1, -1)
    end
    return 1, 0, math.max(0, math.floor(limit - estimate + 1)), reset
  end
  local needed = cost
  if needed == 0 then needed = 1 end
  if estimate + needed > limit then
    local wait
    if current + needed <= limit then
      -- This window alone has room: wait for the previous window's weight to fall enough.
      wait = math.ceil((1 - (limit - needed - current) / previous) * window) - elapsed
    else
      -- This window is full by itself: past its end it becomes the previous window, whose weight
      -- must then fall too (waiting only for the end would be refused again).
      wait = reset + math.ceil(math.min(1, 1 - (limit - needed) / current) * window)
    end
    if wait < 1 then wait = 1 end
    return 0, wait, 0, reset
  end
  if cost > 0 then
    redis.call('HINCRBY', key, index, cost)
    for _, field in ipairs(redis.call('HKEYS', key)) do
      if tonumber(field) < index - 1 then redis.call('HDEL', key, field) end
    end
    redis.call('PEXPIRE', key, window * 2)
  end
  return 1, 0, math.max(0, math.floor(limit - estimate - cost)), reset
end
local out = {}
for i, key in ipairs(KEYS) do
  local a, w, r, x = decide(key, tonumber(ARGV[i * 3 - 2]), tonumber(ARGV[i * 3 - 1]), tonumber(ARGV[i * 3]))
  out[#out + 1] = a
  out[#out + 1] = w
  out[#out + 1] = r
  out[#out + 1] = x
end
return out
`;
