-- POST /api/v1/articles/{slug}/comments with news-comment text that differs
-- in every request (sentences from templates with people, places, months and
-- numbers picked at random, 200-300 characters, one in five with a link),
-- from 2,000 readers per thread. Counts 201s as acknowledged and, among them,
-- those the site's moderation held ("status":"pending"); a 422 is a
-- rejection. Two such texts are rarely near-identical (about 1 pair in 700),
-- so a repeats step holds only what really looks alike. The first script
-- argument tags the run (and the readers' addresses).
threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local people = {
  "the harbour master", "my neighbour Ruth", "the mayor", "a fisherman I know", "the council's engineer",
  "our local councillor", "the ferry company", "a shopkeeper on Quay Street", "my brother-in-law",
  "the harbour trust", "the head teacher", "a lifeboat volunteer", "the planning officer", "an insurance broker",
  "the cafe owner", "my late father", "the bus driver", "a retired surveyor", "the vicar", "the market traders",
}
local things = {
  "north pier", "coastal path", "sea wall", "lifeboat station", "ferry timetable", "car park", "flood barrier",
  "fish market", "school bus route", "bridge repairs", "harbour lights", "beach huts", "drainage scheme",
  "tidal gates", "promenade railings", "slipway", "allotments", "sailing club", "bandstand", "library roof",
}
local judgements = {
  "reasonable", "far too optimistic", "overdue", "a relief", "hard to believe", "suspiciously cheap",
  "a good start", "badly planned", "long overdue", "surprising", "fair enough", "a scandal", "encouraging",
  "worrying", "rushed", "sensible",
}
local months = { "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December" }
local days = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" }
-- %1 someone, %2 something, %3 a judgement, %4 a month, %5 a day, %6 a number.
local sentences = {
  "%1 told me on %5 that the %2 will cost %6 thousand pounds, which seems %3.",
  "When I asked %1 about the %2 in %4, the answer was %3.",
  "The %2 has been closed since %4, and %1 thinks that is %3.",
  "I counted %6 people at the %5 meeting about the %2; frankly the turnout was %3.",
  "If the %2 floods again, %1 says %6 homes are at risk, which is %3.",
  "Compare this with the %2, finished in %4 for %6 thousand: %3.",
  "Why has nobody asked %1 about the %2? Leaving it until %4 is %3.",
  "My street waited %6 days for the %2 to reopen after the %4 storm, which was %3.",
}
local links = {
  " The minutes are at https://example.com/council/minutes if anyone wants them.",
  " There is a map at https://www.example.org/flood-map that shows the risk.",
}

local function pick(list)
  return list[math.random(#list)]
end

function init(args)
  tag = args[1] or "run"
  -- A short number for the tag, for the readers' addresses.
  run = 0
  for i = 1, #tag do
    run = (run * 31 + string.byte(tag, i)) % 1000003
  end
  math.randomseed(id * 7919 + run)
  counter = 0
  created = 0
  held = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local function sentence()
  local fill = { pick(people), pick(things), pick(judgements), pick(months), pick(days),
    tostring(math.random(2, 999)) }
  return (string.gsub(pick(sentences), "%%(%d)", function(n) return fill[tonumber(n)] end))
end

function request()
  counter = counter + 1
  local text = {}
  local length = 0
  while length < 200 do
    text[#text + 1] = sentence()
    length = length + #text[#text] + 1
  end
  local body = table.concat(text, " ")
  body = string.upper(string.sub(body, 1, 1)) .. string.sub(body, 2)
  if math.random(5) == 1 then
    body = body .. pick(links)
  end
  -- Readers are new in each run (the tag), so earlier runs are not their history.
  local reader = counter % 2000
  return wrk.format(nil, nil, nil, string.format(
    '{"name":"Reader %d-%d","email":"reader%d-%d-%d@example.org","body":"%s"}', id, reader, run, id, reader, body))
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    if string.find(body, '"status":"pending"', 1, true) then
      held = held + 1
    end
  end
end
