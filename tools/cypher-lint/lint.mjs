// Lints Cypher statements with Neo4j's own linter (lintCypherQuery).
// stdin: [{"name": ..., "text": ..., "parameters": [...]}]
// stdout: [{"name": ..., "diagnostics": [{"severity": 1|2, "message": ...}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;

const results = JSON.parse(input).map(({ name, text, parameters }) => {
  const schema = { parameters: Object.fromEntries(parameters.map((p) => [p, null])) };
  const { diagnostics } = lintCypherQuery(text, schema);
  return {
    name,
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, message: d.message })),
  };
});
process.stdout.write(JSON.stringify(results));
