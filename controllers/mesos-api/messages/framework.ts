// master.proto GetFrameworks.Framework: a framework as the operator API shows it.
import type { FrameworkInfo } from "./frameworkInfo.ts";
import type { InverseOffer, Offer } from "./offer.ts";
import type { OfferConstraints } from "./offerConstraints.ts";
import type { Resource } from "./resource.ts";
import type { TimeInfo } from "./time.ts";

export interface FrameworkState {
  framework_info: FrameworkInfo;
  active: boolean;
  connected: boolean;
  recovered: boolean;
  registered_time?: TimeInfo | undefined;
  reregistered_time?: TimeInfo | undefined;
  unregistered_time?: TimeInfo | undefined;
  offers?: Offer[] | undefined;
  inverse_offers?: InverseOffer[] | undefined;
  allocated_resources?: Resource[] | undefined;
  offered_resources?: Resource[] | undefined;
  offer_constraints?: OfferConstraints | undefined;
}
