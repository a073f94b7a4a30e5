// The security tier's files share one set of organizations (created by whichever runs first)
// and end with a sweep for the canary markers in everything the run produced, so their order
// is fixed: the relay-isolation test (which may leave an unpublishable outbox row behind) and
// the canary sweep come last; any other file runs before them, by name.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const LAST = ['outbox-isolation.security-spec.ts', 'canary-sweep.security-spec.ts'];

class SecuritySequencer extends Sequencer {
  sort(tests) {
    const rank = (t) => LAST.indexOf(path.basename(t.path));
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = SecuritySequencer;
