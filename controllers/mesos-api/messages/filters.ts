// Filters (semantics.md §2.8): refuse_seconds defaults to 5, also when the whole message is absent.
import type { z } from "zod";
import { double, message } from "../wire/protobufJson.ts";

export const DEFAULT_FILTERS = { refuse_seconds: 5 } as const;

export const FiltersSchema = message({ refuse_seconds: double().default(DEFAULT_FILTERS.refuse_seconds) });
export type Filters = z.infer<typeof FiltersSchema>;

/** The `filters` field of ACCEPT/DECLINE/…: absent means `Filters()`, i.e. refuse 5 s. */
export const filtersField = () => FiltersSchema.default({ ...DEFAULT_FILTERS });
