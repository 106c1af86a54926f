namespace Aha.Client.Redis
{
    /// <summary>
    /// The Lua scripts of the shared budget. The approach is RedisRateLimiting's sliding-window limiter (a sorted set
    /// of permits scored by time, trimmed and counted in one atomic script), extended with what Aha!'s limits need:
    /// both windows checked in one script, Redis's own clock for every process, a margin, counting each permit when
    /// its response arrived, the time until the next permit, and a shared pause.
    /// </summary>
    /// <remarks>
    /// Times are integer microseconds on the Redis server's clock (<c>TIME</c>), so processes on machines whose clocks
    /// disagree still agree on the windows. Numbers are formatted with <c>%.0f</c> before they are handed to Redis:
    /// Lua's default conversion keeps only 14 significant digits.
    /// </remarks>
    internal static class RedisScripts
    {
        /// <summary>
        /// Grants <c>permits</c> now, or says how long until it could.
        /// KEYS[1] the permit log (sorted set: member = permit id, score = latest time the server may have counted it),
        /// KEYS[2] the pause (microseconds until which nothing is granted).
        /// ARGV[1] permit id, ARGV[2] permits, ARGV[3] margin µs, ARGV[4] max arrival delay µs,
        /// ARGV[5..] pairs of (limit, window µs), longest window first.
        /// Returns { 1, 0, permits left in the fullest window } when granted (each permit is logged as pending, counted
        /// at now + arrival delay until released: with no arrival assumption the delay is a cap for crashed processes,
        /// far beyond any window, so a pending permit holds its place until released), else { 0, microseconds to wait, 0 }.
        /// </summary>
        internal const string Acquire = @"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local permits = tonumber(ARGV[2])
local margin = tonumber(ARGV[3])
local arrival = tonumber(ARGV[4])
local longest = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - longest - margin))
local nextAt = now
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > nextAt then nextAt = paused end
for i = 5, #ARGV, 2 do
  local index = tonumber(ARGV[i]) - permits
  local window = tonumber(ARGV[i + 1])
  local entry = redis.call('ZREVRANGE', KEYS[1], index, index, 'WITHSCORES')
  if entry[2] then
    local free = tonumber(entry[2]) + window + margin
    if free > nextAt then nextAt = free end
  end
end
if nextAt > now then
  return { 0, math.ceil(nextAt - now), 0 }
end
local score = string.format('%.0f', now + arrival)
for p = 1, permits do
  redis.call('ZADD', KEYS[1], score, ARGV[1] .. '#' .. p)
end
redis.call('PEXPIRE', KEYS[1], math.ceil((longest + margin + arrival) / 1000) + 1000)
local available = -1
for i = 5, #ARGV, 2 do
  local inWindow = redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%.0f', now - tonumber(ARGV[i + 1]) - margin), '+inf')
  local left = tonumber(ARGV[i]) - inWindow
  if available < 0 or left < available then available = left end
end
return { 1, 0, available }
";

        /// <summary>
        /// The responses of these permits have arrived: they count from now, not from the pessimistic grant + arrival
        /// delay, which may reopen a window early; waiting processes are woken.
        /// KEYS[1] the permit log. ARGV[1] the channel, ARGV[2..] permit ids. Returns how many permits moved.
        /// </summary>
        internal const string Release = @"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local moved = 0
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', now), ARGV[i])
    moved = moved + 1
  end
end
if moved > 0 then redis.call('PUBLISH', ARGV[1], 'r') end
return moved
";

        /// <summary>
        /// The server refused these permits' requests (429): they leave the log, and waiting processes are woken. Whether
        /// the server counted them is the server's to say (its delay pauses everyone through <see cref="Pause"/>).
        /// KEYS[1] the permit log. ARGV[1] the channel, ARGV[2..] permit ids. Returns how many permits were removed.
        /// </summary>
        internal const string Refund = @"
local removed = 0
for i = 2, #ARGV do
  removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
end
if removed > 0 then redis.call('PUBLISH', ARGV[1], 'r') end
return removed
";

        /// <summary>
        /// The server said the budget is spent: nothing is granted to anyone sharing the key for the given time.
        /// KEYS[1] the pause. ARGV[1] the pause in µs, ARGV[2] the channel. Returns 1 when the pause was extended.
        /// </summary>
        internal const string Pause = @"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local duration = tonumber(ARGV[1])
local pauseUntil = now + duration
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if pauseUntil <= current then return 0 end
redis.call('SET', KEYS[1], string.format('%.0f', pauseUntil), 'PX', math.ceil(duration / 1000) + 1)
redis.call('PUBLISH', ARGV[2], 'p:' .. string.format('%.0f', duration))
return 1
";

        /// <summary>
        /// Adds the permits a process granted on its own while Redis was unavailable, so that the others count them.
        /// KEYS[1] the permit log. ARGV[1] expiry ms, ARGV[2..] pairs of (permit id, age µs: how long ago it counted).
        /// </summary>
        internal const string Replay = @"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
for i = 2, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'NX', string.format('%.0f', now - tonumber(ARGV[i + 1])), ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
";
    }
}
