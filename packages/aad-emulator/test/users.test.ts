import { describe, expect, it } from "vitest";
import { createUserDirectory, DEMO_USERS } from "../src/users.js";

describe("the user directory", () => {
  const users = createUserDirectory(DEMO_USERS);

  it("signs in the demo users with their passwords, whatever the user name's case", () => {
    expect(users.authenticate("alice@contoso.test", "alice-password")?.name).toBe("Alice Example");
    expect(users.authenticate("BOB@contoso.test", "bob-password")?.username).toBe("bob@contoso.test");
  });

  it("refuses a wrong password and an unknown user", () => {
    expect(users.authenticate("alice@contoso.test", "bob-password")).toBeUndefined();
    expect(users.authenticate("mallory@contoso.test", "alice-password")).toBeUndefined();
  });

  it("gives every demo user a distinct GUID object id", () => {
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(DEMO_USERS.every((user) => guid.test(user.oid))).toBe(true);
    expect(new Set(DEMO_USERS.map((user) => user.oid)).size).toBe(DEMO_USERS.length);
  });
});
