// Cost of the protobuf door next to the JSON one, for the messages that get big: an OFFERS event
// (one offer per agent) and a GET_STATE response (tasks with their status history). For each size
// it times encoding the JSON shape as compact ASCII JSON (what JSON clients get) and as protobuf
// (controllers/mesos-api/wire/protobufCodec.ts), and decoding the protobuf back into the JSON
// shape (what a protobuf call costs on the way in), and prints the sizes.
//
//   npm run bench:protobuf
//
// Writes bench/results/protobuf-codec.json.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { toAsciiJson } from "../controllers/mesos-api/wire/asciiJson.ts";
import {
  decodeProtobuf,
  encodeProtobuf,
  MESOS_MESSAGES,
  type MesosMessage,
} from "../controllers/mesos-api/wire/protobufCodec.ts";
import { repoRoot } from "../test/e2e/support/paths.ts";

const scalar = (name: string, value: number) => ({
  name,
  type: "SCALAR",
  scalar: { value },
  role: "*",
  allocation_info: { role: "*" },
});

function offersEvent(agents: number): Record<string, unknown> {
  return {
    type: "OFFERS",
    offers: {
      offers: Array.from({ length: agents }, (_, i) => ({
        id: { value: `5f0c4a6e-8a45-4c38-9d6e-0b0c9e5d1c2a-O${i}` },
        framework_id: { value: "5f0c4a6e-8a45-4c38-9d6e-0b0c9e5d1c2a-0000" },
        agent_id: { value: `5f0c4a6e-8a45-4c38-9d6e-0b0c9e5d1c2a-S${i}` },
        hostname: `node-${i}.cluster.local`,
        url: {
          scheme: "http",
          address: { hostname: `node-${i}.cluster.local`, ip: `10.0.${i >> 8}.${i & 255}`, port: 5051 },
          path: "/slave(1)",
        },
        allocation_info: { role: "*" },
        resources: [
          scalar("cpus", 7.5),
          scalar("mem", 30_000),
          scalar("disk", 100_000),
          {
            name: "ports",
            type: "RANGES",
            ranges: { range: [{ begin: 31000, end: 32000 }] },
            role: "*",
            allocation_info: { role: "*" },
          },
        ],
        attributes: [{ name: "zone", type: "TEXT", text: { value: `zone-${i % 3}` } }],
      })),
    },
  };
}

function stateResponse(tasks: number): Record<string, unknown> {
  const status = (i: number, state: string, t: number) => ({
    task_id: { value: `task-${i}` },
    state,
    source: "SOURCE_EXECUTOR",
    agent_id: { value: `agent-${i % 100}` },
    timestamp: 1_764_000_000 + t,
    uuid: Buffer.alloc(16, i % 256).toString("base64"),
  });
  return {
    type: "GET_STATE",
    get_state: {
      get_tasks: {
        tasks: Array.from({ length: tasks }, (_, i) => ({
          name: `task-${i}`,
          task_id: { value: `task-${i}` },
          framework_id: { value: "fw-0000" },
          agent_id: { value: `agent-${i % 100}` },
          state: "TASK_RUNNING",
          resources: [scalar("cpus", 0.1), scalar("mem", 32)],
          statuses: [status(i, "TASK_STARTING", 1), status(i, "TASK_RUNNING", 2)],
          status_update_state: "TASK_RUNNING",
          status_update_uuid: Buffer.alloc(16, i % 256).toString("base64"),
          labels: { labels: [{ key: "app", value: `app-${i % 10}` }] },
          user: "root",
        })),
      },
    },
  };
}

/** Median microseconds per call of `fn` over `runs` runs (after a warm-up). */
function time(fn: () => unknown, runs: number): number {
  for (let i = 0; i < Math.min(runs, 5); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
}

interface Row {
  message: string;
  size: number;
  jsonBytes: number;
  protobufBytes: number;
  jsonEncodeUs: number;
  protobufEncodeUs: number;
  protobufDecodeUs: number;
}

const rows: Row[] = [];
type Case = readonly [string, number, Record<string, unknown>, MesosMessage];
const cases: Case[] = [
  ...[10, 100, 1000].map(
    (n): Case => ["scheduler OFFERS (offers)", n, offersEvent(n), MESOS_MESSAGES.schedulerEvent],
  ),
  ...[100, 1000, 10_000].map(
    (n): Case => ["operator GET_STATE (tasks)", n, stateResponse(n), MESOS_MESSAGES.operatorResponse],
  ),
];
for (const [message, size, value, type] of cases) {
  const runs = size >= 1000 ? 20 : 200;
  const bytes = encodeProtobuf(type, value);
  rows.push({
    message,
    size,
    jsonBytes: Buffer.byteLength(toAsciiJson(value)),
    protobufBytes: bytes.length,
    jsonEncodeUs: time(() => toAsciiJson(value), runs),
    protobufEncodeUs: time(() => encodeProtobuf(type, value), runs),
    protobufDecodeUs: time(() => decodeProtobuf(type, bytes), runs),
  });
}

const ms = (us: number) => (us / 1000).toFixed(2);
console.log(
  "| message | size | JSON bytes | protobuf bytes | JSON encode ms | protobuf encode ms | protobuf decode ms |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows)
  console.log(
    `| ${r.message} | ${r.size.toLocaleString("en")} | ${r.jsonBytes.toLocaleString("en")} | ${r.protobufBytes.toLocaleString("en")} | ${ms(r.jsonEncodeUs)} | ${ms(r.protobufEncodeUs)} | ${ms(r.protobufDecodeUs)} |`,
  );
writeFileSync(join(repoRoot, "bench/results/protobuf-codec.json"), `${JSON.stringify(rows, null, 2)}\n`);
