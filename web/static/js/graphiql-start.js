// Starts GraphiQL on this server's own endpoint; a file, not an inline script, so a strict CSP holds.
const host = document.getElementById("graphiql");
const fetcher = GraphiQL.createFetcher({ url: host.dataset.endpoint });
ReactDOM.createRoot(host).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }),
);
