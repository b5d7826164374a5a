import { createHash, timingSafeEqual } from "node:crypto";

/** A person who can sign in on the emulator's login page. */
export interface TestUser {
  username: string;
  password: string;
  oid: string;
  name: string;
}

export const DEMO_TENANT_ID = "7d0c6b1e-5a4f-4c3b-9e2d-8f1a0b9c7e6d";
export const DEMO_SUBSCRIPTION_ID = "3f2b8c4e-9d1a-4c6b-8e7f-5a4d3c2b1e0f";

/** Public test data: these credentials protect nothing. */
export const DEMO_USERS: readonly TestUser[] = Object.freeze([
  Object.freeze({
    username: "alice@contoso.test",
    password: "alice-password",
    oid: "0a11ce00-0000-4000-8000-00000000a11c",
    name: "Alice Example",
  }),
  Object.freeze({
    username: "bob@contoso.test",
    password: "bob-password",
    oid: "00000b0b-0000-4000-8000-000000000b0b",
    name: "Bob Example",
  }),
]);

export interface UserDirectory {
  byUsername(username: string): TestUser | undefined;
  byOid(oid: string): TestUser | undefined;
  /** The user when the password matches, compared in constant time. */
  authenticate(username: string, password: string): TestUser | undefined;
  list(): readonly TestUser[];
}

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

export function createUserDirectory(users: readonly TestUser[]): UserDirectory {
  const byName = new Map(users.map((user) => [user.username.toLowerCase(), user]));
  const byOid = new Map(users.map((user) => [user.oid.toLowerCase(), user]));
  return {
    byUsername: (username) => byName.get(username.trim().toLowerCase()),
    byOid: (oid) => byOid.get(oid.toLowerCase()),
    authenticate(username, password) {
      const user = byName.get(username.trim().toLowerCase());
      // Compare against something even for unknown users so timing does not tell them apart.
      const expected = digest(user?.password ?? "\u0000no-such-user");
      const matches = timingSafeEqual(expected, digest(password));
      return user !== undefined && matches ? user : undefined;
    },
    list: () => users,
  };
}
