// Copied unchanged from the product's shared bench folder (../shared/bench/make-unique-lua.cjs), for wrk
// users; it reads a fixture from ../pagerduty/webhooks/zulip-fixtures/ that is not in this repository.
// `npm run bench` does not use it: bench/ingress.ts is its Node equivalent (no wrk on the machine).
// node make-unique-lua.cjs <secret> <count> > post.lua : unique signed v3 webhooks (~3 KB), cycling in wrk -t2
const crypto = require('crypto'); const fs = require('fs');
const [secret, count] = [process.argv[2], Number(process.argv[3])];
const base = JSON.parse(fs.readFileSync(require('path').join(__dirname, '../pagerduty/webhooks/zulip-fixtures/acknowledged_v3.json'), 'utf8'));
const out = ['local reqs = {}'];
for (let i = 0; i < count; i++) {
  base.event.id = crypto.randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase();
  base.event.data.id = 'QBENCH' + (i % 500).toString().padStart(8, '0');
  base.event.data.title = 'bench ' + 'x'.repeat(1500);
  const body = JSON.stringify(base);
  const sig = 'v1=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
  out.push(`reqs[${i + 1}] = {${JSON.stringify(body)}, "${sig}", "${crypto.randomUUID()}"}`);
}
out.push(`local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
local n = 0
request = function()
  n = n + 1; local r = reqs[(((n - 1) * 2 + (tid or 0)) % #reqs) + 1]
  return wrk.format("POST", nil, {["Content-Type"]="application/json", ["X-PagerDuty-Signature"]=r[2], ["X-Webhook-Id"]=r[3]}, r[1])
end`);
process.stdout.write(out.join('\n'));
