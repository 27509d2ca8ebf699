-- wrk script: walk the ID list (one per line, file in env WRK_IDS) once,
-- sending each as GET {WRK_PREFIX}/campaigns/ID with the Bearer key in
-- env WRK_KEY; stop when every response is in. Decodes nothing: only the
-- status is looked at. Meant for one wrk thread (-t1).
--
-- wrk's main thread sleeps for the whole -d; when the last response arrives
-- this script raises SIGINT in its own process, which wakes it up so that wrk
-- reports and exits at once.
local ffi = require("ffi")
ffi.cdef [[
  int getpid(void);
  int kill(int pid, int sig);
]]

local ids = {}
local prefix = os.getenv("WRK_PREFIX") or "/v1"
for line in io.lines(os.getenv("WRK_IDS")) do
  if #line > 0 then ids[#ids + 1] = prefix .. "/campaigns/" .. line end
end
local headers = {
  ["Authorization"] = "Bearer " .. (os.getenv("WRK_KEY") or ""),
  ["Accept"] = "application/json",
}
local sent, received, bad = 0, 0, 0
local total = #ids

request = function()
  sent = sent + 1
  -- Past the end (connections still idle while the last answers come in),
  -- repeat the last path; those answers are not counted.
  local path = ids[sent <= total and sent or total]
  return wrk.format("GET", path, headers)
end

response = function(status, headers, body)
  received = received + 1
  if received <= total then
    if status ~= 200 then bad = bad + 1 end
    if received == total then
      io.stderr:write(string.format("wrk_ids: %d responses, %d not 200\n", received, bad))
      io.stderr:flush()
      wrk.thread:stop()
      ffi.C.kill(ffi.C.getpid(), 2)
    end
  end
end

done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"ok":%d,"failed":%d,"id_mismatch":0,"seconds":%.6f,"completed":%d,"socket_errors":%d}\n',
    total, total - bad, bad, summary.duration / 1e6, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
