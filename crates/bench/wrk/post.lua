-- POST /api/v1/articles/{slug}/comments: every request a distinct comment,
-- every 201 counted as one acknowledged comment. The first script argument
-- (after `--`) tags the run so warm-up and measured bodies differ too.
threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tag = args[1] or "run"
  counter = 0
  created = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"Reader %d","email":"reader%d@example.org","body":"Comment %s-%d-%d: the harbour wall held ' ..
    'through the storm, and *that* is what matters to the people on Quay Street."}',
    id, counter % 1000, tag, id, counter)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  end
end
