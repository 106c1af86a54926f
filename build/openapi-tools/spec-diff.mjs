// Compares two OpenAPI 3.0 documents (YAML or JSON) with api-smart-diff and prints every change as one JSON document:
//   {"diffs":[{"type":"breaking|non-breaking|deprecated|annotation|unclassified","action":"add|remove|replace|rename",
//              "path":["paths","/features","get",...],"description":"...","before":...,"after":...}]}
// Policy (what blocks a release, which operations a change touches) lives in the C# test that calls this
// (tests/Aha.Client.Tests/Contract/BreakingChangeGate.cs), so it can be unit-tested on mutated copies of the spec.
// Exit codes: 0 = compared (whatever the changes), 2 = could not compare (bad arguments, unreadable or invalid file).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { apiCompare } from 'api-smart-diff';

try {
  const files = process.argv.slice(2);
  if (files.length !== 2) throw new Error('usage: node spec-diff.mjs <released.yaml> <current.yaml>');
  const [before, after] = files.map(f => parse(readFileSync(f, 'utf8'), { maxAliasCount: -1 }));
  const { diffs } = apiCompare(before, after);
  const small = v => (v === undefined ? undefined : JSON.stringify(v).length > 200 ? '(object)' : v);
  const out = diffs.map(d => ({
    type: d.type,
    action: d.action,
    path: d.path.map(String),
    description: d.description ?? '',
    before: small(d.before),
    after: small(d.after),
  }));
  process.stdout.write(JSON.stringify({ diffs: out }));
} catch (e) {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(2);
}
