// The @neo4j/graphql peer of bench/run: the library's generated API over the same Neo4j database.
// Usage: NEO4J_URI=bolt://127.0.0.1:7691 NEO4J_PASSWORD=… PORT=4001 node server.js
// Prints its URL on the first line of stdout once it listens (bench/race/peer.py reads it).
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const driver = neo4j.driver(
  process.env.NEO4J_URI ?? "bolt://127.0.0.1:7691",
  neo4j.auth.basic("neo4j", process.env.NEO4J_PASSWORD ?? ""),
);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
// Apollo's defaults otherwise: no cache of its own for answers, the landing page off (not measured).
const server = new ApolloServer({ schema, introspection: true });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(process.env.PORT ?? 4001) },
});
console.log(url);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
