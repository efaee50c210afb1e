// Composes subgraphs into a supergraph with Apollo's and the Guild's composers,
// as Apollo's router (Rover) and the Hive gateway do.
// stdin: [{"name": ..., "sdl": ...}]
// stdout: {"apollo": {"errors": [message, ...]}, "guild": {"errors": [message, ...]}}
import { composeServices as composeApollo } from '@apollo/composition';
import { composeServices as composeGuild } from '@theguild/federation-composition';
import { parse } from 'graphql';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;

function errorsOf(compose) {
  try {
    const services = JSON.parse(input).map(({ name, sdl }) => ({
      name,
      url: `http://${name}.invalid/graphql`,
      typeDefs: parse(sdl),
    }));
    const result = compose(services);
    return (result.errors ?? []).map((e) => e.message);
  } catch (e) {
    return [String(e?.message ?? e)];
  }
}

process.stdout.write(
  JSON.stringify({
    apollo: { errors: errorsOf(composeApollo) },
    guild: { errors: errorsOf(composeGuild) },
  }),
);
