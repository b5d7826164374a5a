import { z } from "zod";
import { sameResource } from "./scopes.js";

/** Switches that make the token endpoint misbehave on purpose. */
export interface Faults {
  /** Token requests for these resources answer 400 `invalid_resource` (AADSTS500011). */
  refuseResources: string[];
  /** Refresh-token requests for these resources answer 400 `interaction_required`; the code grant still works. */
  interactionRequired: string[];
  /** Every token request waits this long first. */
  delayMs: number;
  /** When set, every token request answers this status with `temporarily_unavailable`. */
  failStatus: number | null;
}

const resourceList = z.array(z.string().min(1).max(2048)).max(100);

/** A partial update, as posted to `POST /_emulator/faults`; unknown keys are refused. */
export const faultsPatchSchema = z.strictObject({
  refuseResources: resourceList.optional(),
  interactionRequired: resourceList.optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  failStatus: z.number().int().min(400).max(599).nullable().optional(),
});

export type FaultsPatch = z.infer<typeof faultsPatchSchema>;

export interface FaultSwitches {
  set(patch: Partial<Faults>): void;
  reset(): void;
  get(): Faults;
  refuses(resource: string): boolean;
  requiresInteraction(resource: string): boolean;
}

const noFaults = (): Faults => ({ refuseResources: [], interactionRequired: [], delayMs: 0, failStatus: null });

const copy = (faults: Faults): Faults => ({
  refuseResources: [...faults.refuseResources],
  interactionRequired: [...faults.interactionRequired],
  delayMs: faults.delayMs,
  failStatus: faults.failStatus,
});

export function createFaultSwitches(): FaultSwitches {
  let current = noFaults();
  return {
    set(patch) {
      const parsed = faultsPatchSchema.safeParse(patch);
      if (!parsed.success) throw new TypeError(`invalid faults: ${z.prettifyError(parsed.error)}`);
      const { refuseResources, interactionRequired, delayMs, failStatus } = parsed.data;
      current = {
        refuseResources: refuseResources ?? current.refuseResources,
        interactionRequired: interactionRequired ?? current.interactionRequired,
        delayMs: delayMs ?? current.delayMs,
        failStatus: failStatus === undefined ? current.failStatus : failStatus,
      };
    },
    reset() {
      current = noFaults();
    },
    get: () => copy(current),
    refuses: (resource) => current.refuseResources.some((refused) => sameResource(refused, resource)),
    requiresInteraction: (resource) => current.interactionRequired.some((listed) => sameResource(listed, resource)),
  };
}
