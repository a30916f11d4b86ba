// Starts GraphiQL on this server's own endpoint; a file, not an inline script, so a strict CSP holds.
const host = document.getElementById("graphiql");
const fetcher = GraphiQL.createFetcher({ url: host.dataset.endpoint });
const defaultQuery = `# FINESS+ as a graph: try the queries below, then explore the schema (Docs, left).
query Example {
  search(text: "centre hospitalier", first: 5) {
    totalCount
    edges { node { finess name kind ... on Establishment { category { code label } } } }
  }
  stats { snapshot nodes { label count } }
}
`;
ReactDOM.createRoot(host).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);
