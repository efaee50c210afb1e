// Starts GraphiQL with the explorer plugin against the page's own endpoint.
// The query, variables and headers being edited are kept in the address, to share.
const EXAMPLE_QUERY = `# YouthGraph Hub: one GraphQL schema over the youth-league graph.
# Ctrl-Enter runs the query; Ctrl-Space completes; the docs are on the left.
{
  member(key: "P00000001") {
    name idNumberMasked phoneMasked
    branch { name parentChain { name level regionCode } }
  }
}
`;

const parameters = {};
for (const entry of window.location.search.slice(1).split("&")) {
  const eq = entry.indexOf("=");
  if (eq >= 0) {
    parameters[decodeURIComponent(entry.slice(0, eq))] = decodeURIComponent(entry.slice(eq + 1));
  }
}

function updateURL(data) {
  Object.assign(parameters, data);
  const search = Object.keys(parameters)
    .filter((key) => Boolean(parameters[key]))
    .map((key) => encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]))
    .join("&");
  history.replaceState(null, null, "?" + search);
}

const fetchURL = window.location.href.split("?")[0];
const subscriptionURL = (() => {
  const url = new URL(fetchURL);
  url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
  url.hash = "";
  return url.toString();
})();
const fetcher = GraphiQL.createFetcher({ url: fetchURL, subscriptionUrl: subscriptionURL });

function GraphiQLWithExplorer() {
  const [query, setQuery] = React.useState(parameters.q || EXAMPLE_QUERY);
  const [variables, setVariables] = React.useState(parameters.variables);
  const [headers, setHeaders] = React.useState(parameters.headers);
  return React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    query: query,
    variables: variables,
    headers: headers,
    onEditQuery: (text) => { setQuery(text); updateURL({ q: text }); },
    onEditVariables: (text) => { setVariables(text); updateURL({ variables: text }); },
    onEditHeaders: setHeaders,
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  });
}

ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQLWithExplorer),
);
