import express, { type Response, type Router } from "express";
import { z } from "zod";
import type { ClientRegistry } from "../clients.js";
import { faultsPatchSchema, type FaultSwitches } from "../faults.js";
import type { StatsCounter } from "../stats.js";

export interface AdminDeps {
  faults: FaultSwitches;
  stats: StatsCounter;
  clients: ClientRegistry;
}

const clientSchema = z.strictObject({
  clientId: z.string().min(1).max(256),
  redirectUris: z
    .array(
      z
        .url({ protocol: /^https?$/ })
        .max(2048),
    )
    .min(1)
    .max(50),
});

function badRequest(res: Response, code: string, error: z.ZodError): void {
  res.status(400).json({ error: { code, message: z.prettifyError(error) } });
}

/**
 * The test-control API under `/_emulator`: fault switches, stats, reset and
 * client registration. Same origin only (no CORS), so web pages cannot flip switches.
 */
export function createAdminRouter({ faults, stats, clients }: AdminDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: "16kb" }));

  router.get("/faults", (_req, res) => {
    res.json(faults.get());
  });

  router.post("/faults", (req, res) => {
    const parsed = faultsPatchSchema.safeParse(req.body);
    if (!parsed.success) {
      badRequest(res, "InvalidFaults", parsed.error);
      return;
    }
    const { refuseResources, interactionRequired, delayMs, failStatus } = parsed.data;
    faults.set({
      ...(refuseResources === undefined ? {} : { refuseResources }),
      ...(interactionRequired === undefined ? {} : { interactionRequired }),
      ...(delayMs === undefined ? {} : { delayMs }),
      ...(failStatus === undefined ? {} : { failStatus }),
    });
    res.json(faults.get());
  });

  router.post("/reset", (_req, res) => {
    faults.reset();
    stats.reset();
    res.json({ faults: faults.get(), stats: stats.snapshot() });
  });

  router.get("/stats", (_req, res) => {
    res.json(stats.snapshot());
  });

  router.post("/clients", (req, res) => {
    const parsed = clientSchema.safeParse(req.body);
    if (!parsed.success) {
      badRequest(res, "InvalidClient", parsed.error);
      return;
    }
    clients.register(parsed.data);
    res.status(201).json(parsed.data);
  });

  return router;
}
