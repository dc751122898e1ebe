// Side-by-side run of cmd/benchquery's queries in Oxigraph (the npm
// package, WebAssembly in-process in Node), timed the same way as the Go
// command: each query parsed and evaluated, results fully materialised,
// 2 warm-ups then 20 timed runs, median / p90 / min.
//
//   go run ./cmd/benchquery -dump /tmp/catalog.nq   # same data as the Go store
//   node bench.mjs /tmp/catalog.nq [runs] [warmup]
//
// `make bench-compare` does both. Not part of `make test`.
import { readFileSync, readdirSync, createReadStream } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import oxigraph from "oxigraph";

const [file, runsArg, warmArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench.mjs FILE.nq [runs] [warmup]");
  process.exit(2);
}
const runs = Number(runsArg ?? 20);
const warmup = Number(warmArg ?? 2);
const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "queries");

const store = new oxigraph.Store();
let t0 = performance.now();
// Load in chunks of lines so no single JS string holds the whole file.
let chunk = [];
let n = 0;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  chunk.push(line);
  if (chunk.length === 100000) {
    store.load(chunk.join("\n") + "\n", { format: "application/n-quads", lenient: true });
    n += chunk.length;
    chunk = [];
  }
}
if (chunk.length) {
  store.load(chunk.join("\n") + "\n", { format: "application/n-quads", lenient: true });
  n += chunk.length;
}
console.log(`oxigraph ${JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "node_modules", "oxigraph", "package.json"))).version}: loaded ${n} quads in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${runs} runs after ${warmup} warm-ups`);

const fmt = (x) => x.toFixed(3) + "ms";
const rows = [["query", "rows", "median", "p90", "min"]];
for (const name of readdirSync(dir).filter((f) => f.endsWith(".rq")).sort()) {
  const text = readFileSync(join(dir, name), "utf8");
  const once = () => {
    const r = store.query(text);
    return typeof r === "boolean" ? (r ? 1 : 0) : r.length;
  };
  for (let i = 0; i < warmup; i++) once();
  const lat = [];
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    count = once();
    lat.push(performance.now() - s);
  }
  lat.sort((a, b) => a - b);
  const mid = lat.length % 2 ? lat[(lat.length - 1) / 2] : (lat[lat.length / 2 - 1] + lat[lat.length / 2]) / 2;
  const p90 = lat[Math.min(lat.length - 1, Math.ceil(lat.length * 0.9) - 1)];
  rows.push([name.replace(/\.rq$/, ""), String(count), fmt(mid), fmt(p90), fmt(lat[0])]);
}
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((v, c) => v.padStart(w[c])).join("  "));
