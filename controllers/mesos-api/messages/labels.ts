// mesos.proto Labels: `{"labels": [{"key": "k", "value": "v"}]}` (key required, repeats allowed).
import type { z } from "zod";
import { message, repeated, text } from "../wire/protobufJson.ts";

export const LabelSchema = message({ key: text(), value: text().optional() });
export const LabelsSchema = message({ labels: repeated(LabelSchema) });
export type Labels = z.infer<typeof LabelsSchema>;
