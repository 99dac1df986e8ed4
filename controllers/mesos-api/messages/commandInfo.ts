// CommandInfo and Environment (semantics.md §2.5); `shell` defaults to true as in Mesos.
import type { z } from "zod";
import { bool, enumeration, message, opaque, repeated, text } from "../wire/protobufJson.ts";

const UriSchema = message({
  value: text(),
  executable: bool().optional(),
  extract: bool().default(true),
  cache: bool().optional(),
  output_file: text().optional(),
});

const EnvironmentVariableSchema = message({
  name: text(),
  type: enumeration(["UNKNOWN", "VALUE", "SECRET"]).default("VALUE"),
  value: text().optional(),
  secret: opaque().optional(),
});

export const EnvironmentSchema = message({ variables: repeated(EnvironmentVariableSchema) });

export const CommandInfoSchema = message({
  uris: repeated(UriSchema),
  environment: EnvironmentSchema.optional(),
  shell: bool().default(true),
  value: text().optional(),
  arguments: repeated(text()),
  user: text().optional(),
});
export type CommandInfo = z.infer<typeof CommandInfoSchema>;
