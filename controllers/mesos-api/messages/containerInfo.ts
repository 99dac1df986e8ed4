// ContainerInfo with its Docker and Mesos parts (semantics.md §2.5). The parts a pod cannot
// express (linux_info, rlimit_info, tty_info, network_infos) are carried through unread.
import type { z } from "zod";
import { bool, enumeration, message, opaque, repeated, text, uint32 } from "../wire/protobufJson.ts";

const ImageSchema = message({
  type: enumeration(["APPC", "DOCKER"]),
  appc: opaque().optional(),
  docker: message({ name: text(), credential: opaque().optional(), config: opaque().optional() }).optional(),
  cached: bool().default(true),
});

const VolumeSchema = message({
  container_path: text(),
  host_path: text().optional(),
  mode: enumeration(["RW", "RO"]).optional(),
  image: ImageSchema.optional(),
  source: opaque().optional(),
});

const DockerInfoSchema = message({
  image: text(),
  network: enumeration(["HOST", "BRIDGE", "NONE", "USER"]).default("HOST"),
  port_mappings: repeated(
    message({ host_port: uint32(), container_port: uint32(), protocol: text().optional() }),
  ),
  privileged: bool().default(false),
  parameters: repeated(message({ key: text(), value: text() })),
  force_pull_image: bool().optional(),
  volume_driver: text().optional(),
});

export const ContainerInfoSchema = message({
  type: enumeration(["DOCKER", "MESOS"]),
  volumes: repeated(VolumeSchema),
  hostname: text().optional(),
  docker: DockerInfoSchema.optional(),
  mesos: message({ image: ImageSchema.optional() }).optional(),
  network_infos: repeated(opaque()),
  linux_info: opaque().optional(),
  rlimit_info: opaque().optional(),
  tty_info: opaque().optional(),
});
export type ContainerInfo = z.infer<typeof ContainerInfoSchema>;
