/* global process, Buffer, fetch */
// Shared by the Node compat clients: decode claims (never print the token) and call the mock ARM.

/** The unverified claims of a JWT (the mock ARM verifies it). */
export function claimsOf(token) {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
}

/** Lists the VMs on the mock ARM with the token; trusts the emulator's cert through NODE_EXTRA_CA_CERTS. */
export async function listVms(token) {
  const url = `${process.env.ARM_URL}subscriptions/${process.env.SUBSCRIPTION_ID}/providers/Microsoft.Compute/virtualMachines?api-version=2021-07-01`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json();
  return { status: response.status, vms: Array.isArray(body.value) ? body.value.map((vm) => vm.name) : [] };
}

/** Prints one JSON line for the test; failures print the error's name and message only. */
export async function report(run) {
  try {
    process.stdout.write(`${JSON.stringify(await run())}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: { name: error?.name, message: String(error?.message).slice(0, 2000) } })}\n`);
    process.exitCode = 1;
  }
}
