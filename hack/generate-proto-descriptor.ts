// Writes controllers/mesos-api/wire/proto/mesosV1.descriptor.json: the reflection descriptor
// (protobufjs JSON) of the vendored Mesos v1 .proto files, which the protobuf codec loads at run
// time. A descriptor rather than the .proto files themselves, so the compiled operator needs no
// .proto parser and dist/ no copied sources. `npm run generate` runs it;
// controllers/mesos-api/wire/protobufCodec.test.ts fails when it is stale.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import protobuf from "protobufjs";
import { writeGeneratedFiles } from "./generatedFiles.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const PROTO_DIR = join(here, "../controllers/mesos-api/wire/proto");
export const DESCRIPTOR_FILE = join(PROTO_DIR, "mesosV1.descriptor.json");

/** The files whose messages cross the wire; their imports come along. */
export const ROOT_PROTOS = ["mesos/v1/scheduler/scheduler.proto", "mesos/v1/master/master.proto"];

/** The descriptor's text, as it should be committed. */
export function protoDescriptorText(): string {
  const root = new protobuf.Root();
  // Imports are relative to the vendored include directory, as for protoc -I; google/protobuf/*
  // (duration.proto) is protobufjs's bundled copy.
  root.resolvePath = (_origin, target) =>
    target.startsWith("google/protobuf/") ? target : join(PROTO_DIR, target);
  // keepCase: field names stay as in the .proto (snake_case), which is also Mesos's JSON mapping.
  root.loadSync(ROOT_PROTOS, { keepCase: true });
  root.resolveAll();
  return `${JSON.stringify(root.toJSON(), null, 1)}\n`;
}

export function descriptorIsStale(): boolean {
  return readFileSync(DESCRIPTOR_FILE, "utf8") !== protoDescriptorText();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = join(here, "..");
  writeGeneratedFiles(root, new Map([[relative(root, DESCRIPTOR_FILE), protoDescriptorText()]]), []);
}
